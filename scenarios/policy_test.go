package scenarios

import (
	"maps"
	"testing"
)

func TestParsePolicyQuotes(t *testing.T) {
	cases := []struct {
		name, arg, want string
		set             map[string]float64
	}{
		{"plain name", "at=24,name=reform,links.gba-gba.friction=0.03", "reform", map[string]float64{"links.gba-gba.friction": 0.03}},
		{"a comma in quotes", `at=24,name="customs, phase 1",links.gba-gba.friction=0.03`, "customs, phase 1", map[string]float64{"links.gba-gba.friction": 0.03}},
		{"an escaped quote", `at=3,name="the \"big\" push, 2",diffusion.q=0.4`, `the "big" push, 2`, map[string]float64{"diffusion.q": 0.4}},
		{"an escaped backslash", `at=3,name="a\\b",diffusion.q=0.4`, `a\b`, map[string]float64{"diffusion.q": 0.4}},
		{"spaces around a quoted value", `at=3, name = " padded " ,diffusion.q=0.4`, " padded ", map[string]float64{"diffusion.q": 0.4}},
		{"a quoted number", `at=3,diffusion.q="0.4"`, "policy 1 (command line)", map[string]float64{"diffusion.q": 0.4}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ParsePolicy(c.arg, 0)
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != c.want || !maps.Equal(p.Set, c.set) {
				t.Errorf("got name %q set %v, want %q %v", p.Name, p.Set, c.want, c.set)
			}
		})
	}
	for _, bad := range []string{
		`at=3,name="open,diffusion.q=0.4`,
		`at=3,name="x"y,diffusion.q=0.4`,
		`at=3,"name"=x,diffusion.q=0.4`,
		`at=3,name=a"b",diffusion.q=0.4`,
	} {
		if _, err := ParsePolicy(bad, 0); err == nil {
			t.Errorf("ParsePolicy(%s) gave no error", bad)
		}
	}
}
