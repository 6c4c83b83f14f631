package runs

import (
	"strings"
	"testing"
)

func TestLockCommandJoinsAndCuts(t *testing.T) {
	long := strings.Repeat("x", 250)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, ""},
		{[]string{"run", "a.yaml", "--out", "o"}, "run a.yaml --out o"},
		{[]string{"run", long}, ("run " + long)[:200] + "..."},
	} {
		if got := LockCommand(c.args...); got != c.want {
			t.Errorf("LockCommand(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}
