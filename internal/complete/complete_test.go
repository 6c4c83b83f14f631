package complete

import (
	"slices"
	"testing"
)

func TestValueAndArg(t *testing.T) {
	for _, c := range []struct {
		name     string
		got      Result
		cands    []string
		also     []string
		mustHave string
		mustLack string
	}{
		{"shell", Arg("completion", 0, "z"), []string{"zsh"}, nil, "", ""},
		{"report folder", Arg("report", 0, ""), nil, []string{"dirs"}, "", ""},
		{"second argument of run", Arg("run", 1, ""), nil, nil, "", ""},
		{"method", Value("sensitivity", "method", "--method=", "s", nil), []string{"--method=sobol"}, nil, "", ""},
		{"out", Value("run", "out", "", "", nil), nil, []string{"dirs"}, "", ""},
		{"set, three-hubs' paths", Value("run", "set", "", "regions.", nil), nil, []string{"nospace"}, "regions.yrd.reach=", ""},
		{"sweep lacks steps", Value("run", "sweep", "", "st", nil), nil, []string{"nospace"}, "", "steps="},
		{"policy key after a comma", Value("run", "policy", "", "at=12,regions.yrd.re", nil), []string{"at=12,regions.yrd.reach="}, []string{"nospace"}, "", ""},
		{"policy value", Value("run", "policy", "", "at=", nil), nil, nil, "", ""},
		{"unknown flag", Value("run", "workers", "", "", nil), nil, nil, "", ""},
	} {
		if c.mustHave == "" && c.mustLack == "" && !slices.Equal(c.got.Cands, c.cands) || !slices.Equal(c.got.Also, c.also) {
			t.Errorf("%s: %v %v, want %v %v", c.name, c.got.Cands, c.got.Also, c.cands, c.also)
		}
		if c.mustHave != "" && !slices.Contains(c.got.Cands, c.mustHave) {
			t.Errorf("%s: %v lacks %s", c.name, c.got.Cands, c.mustHave)
		}
		if c.mustLack != "" && slices.Contains(c.got.Cands, c.mustLack) {
			t.Errorf("%s: %v has %s", c.name, c.got.Cands, c.mustLack)
		}
	}
}

func TestPolicyPath(t *testing.T) {
	for path, want := range map[string]bool{"regions.yrd.reach": true, "links.a-b.friction": true, "steps": false, "regions.yrd.nope": false} {
		if got := policyPath(path); got != want {
			t.Errorf("policyPath(%q) = %v, want %v", path, got, want)
		}
	}
}
