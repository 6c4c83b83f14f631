package runs

import (
	"strings"
	"testing"
)

func TestHolderOfJoinsAndCutsTheCommand(t *testing.T) {
	long := strings.Repeat("x", 250)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, ""},
		{[]string{"run", "a.yaml", "--out", "o"}, "run a.yaml --out o"},
		{[]string{"run", long}, ("run " + long)[:200] + "..."},
	} {
		h := HolderOf(c.args...)
		if h.Command != c.want || h.Since.IsZero() {
			t.Errorf("HolderOf(%q) = %q since %v, want %q", c.args, h.Command, h.Since, c.want)
		}
	}
}
