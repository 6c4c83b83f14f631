package complete

import (
	"slices"
	"testing"
)

// TestWords walks command lines over a small flag table: a flag that waits
// for its value, a switch that does not, a short form, a hidden flag,
// "--", and the positional argument the cursor is on.
func TestWords(t *testing.T) {
	flags := func(cmd string) ([]Flag, bool) {
		if cmd != "run" {
			return nil, false
		}
		return []Flag{{Name: "out", Shorthand: "o"}, {Name: "force", Switch: true}, {Name: "method"}, {Name: "secret", Hidden: true}}, true
	}
	commands := []string{"run", "report"}
	for _, c := range []struct {
		words, cands, also []string
	}{
		{[]string{"r"}, []string{"run", "report"}, nil},
		{[]string{"help", "re"}, []string{"report"}, nil},
		{[]string{"nosuch", ""}, nil, nil},
		{[]string{"run", "--"}, []string{"--out", "--force", "--method", "--help"}, nil},
		{[]string{"run", "--f"}, []string{"--force"}, nil},
		{[]string{"run", "--out", ""}, nil, []string{"dirs"}},
		{[]string{"run", "-o", ""}, nil, []string{"dirs"}},
		{[]string{"run", "--force", "three"}, []string{"three-hubs", "three-hubs-fitted"}, []string{"yaml"}},
		{[]string{"run", "--out=x", "three"}, []string{"three-hubs", "three-hubs-fitted"}, []string{"yaml"}},
		{[]string{"run", "three-hubs", ""}, nil, nil},
		{[]string{"run", "--", "--f"}, nil, []string{"yaml"}},
	} {
		got := Words(c.words, commands, flags)
		if !slices.Equal(got.Cands, c.cands) || !slices.Equal(got.Also, c.also) {
			t.Errorf("%q: %q %q, want %q %q", c.words, got.Cands, got.Also, c.cands, c.also)
		}
	}
}
