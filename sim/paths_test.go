package sim

import "testing"

func TestClosest(t *testing.T) {
	cands := []string{"run", "list", "show", "validate", "regions.gba.pull", "regions.gba.p"}
	cases := []struct {
		word string
		max  int
		want string
	}{
		{"rnu", 1, "run"},
		{"valdiate", 2, "validate"},
		{"regions.gba.pul", 2, "regions.gba.pull"},
		{"frobnicate", 3, ""},
		{"lsit", 1, "list"},
	}
	for _, c := range cases {
		if got := Closest(c.word, cands, c.max); got != c.want {
			t.Errorf("Closest(%q) = %q, want %q", c.word, got, c.want)
		}
	}
}
