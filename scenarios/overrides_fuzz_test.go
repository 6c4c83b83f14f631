package scenarios

import (
	"errors"
	"strings"
	"testing"

	"github.com/triad-sim/triad/sim"
)

// FuzzOverrides feeds one command-line argument to the parsers of --set,
// --policy and --sweep, and what they accept to the checks that follow
// them on three-hubs. None may panic; a refusal names the flag and the
// argument; what is accepted either validates or is
// refused by Validate, and a policy accepted is one whose step is set
// and whose keys were each given once.
func FuzzOverrides(f *testing.F) {
	for _, s := range []string{
		"at=24,name=customs reform,links.gba-gba.friction=0.05",
		`at=24,name="customs, phase 1",links.gba-gba.friction=0.03`,
		`at=1,name="a \"quoted\" \\ name",diffusion.q=0.2`,
		"at=1,name=x,cities.shenzhen.capability.mean=0.05",
		"at=1,regions.gba.p=0.1,regions.gba.p=0.2",
		"at=1,links.bth-gba.friction=0.1,links.gba-bth.friction=0.2",
		"at=3,regions.gba.pull=1.7e308",
		"regions.gba.p=0.002",
		"regions.yrd.reach=0.1,0.3,0.5",
		"diffusion.q=0.1:0.5:0.1",
		"cities.shenzhen.firms=1:100000:1",
		"links.gba->yrd.coupling=2",
		"seed=18446744073709551615",
		"name=a\x1b[2Jb",
		"at=1,name=\"unclosed",
		"", "=", ",,,", `"`, "at=-1", "at=99999999999999999999",
	} {
		f.Add(s)
	}
	src, err := Source("three-hubs")
	if err != nil {
		f.Fatal(err)
	}
	base, err := Load("three-hubs", src)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		// --policy
		p, err := ParsePolicy(arg, 0)
		if err != nil {
			mustBeInput(t, "--policy", arg, err)
		} else {
			if p.At < 0 {
				t.Errorf("--policy %q: accepted with step %d", arg, p.At)
			}
			cfg := deepCopy(base)
			cfg.Policies = append(cfg.Policies, p)
			if cfg.Validate() == nil {
				for path := range p.Set {
					if _, err := cfg.ParamField(path); err != nil {
						t.Errorf("--policy %q: valid with a path that does not resolve: %v", arg, err)
					}
				}
				if strings.ContainsFunc(p.Name, sim.Unprintable) {
					t.Errorf("--policy %q: valid with the name %q", arg, p.Name)
				}
			}
		}
		// --sweep
		sw, err := ParseSweeps([]string{arg})
		if err != nil {
			mustBeInput(t, "--sweep", arg, err)
		} else {
			cfg := deepCopy(base)
			cfg.Sweep = sw
			if CheckSweepSize(&cfg, DefaultCaps) == nil {
				_ = cfg.Validate()
			}
		}
		// --set
		cfg := deepCopy(base)
		if err := Set(&cfg, []string{arg}); err != nil {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("--set %q: got %T %v, want Errors", arg, err, err)
			}
			if es[0].File != "" && !strings.HasPrefix(es[0].File, "--set ") {
				t.Errorf("--set %q: the error names %q, not the assignment", arg, es[0].File)
			}
		} else if err := cfg.Validate(); err != nil {
			t.Errorf("--set %q: accepted a config that does not validate: %v", arg, err)
		}
	})
}

// mustBeInput fails t unless err names the flag, as bad input does.
func mustBeInput(t *testing.T, flag, arg string, err error) {
	t.Helper()
	if !strings.HasPrefix(err.Error(), flag+" ") {
		t.Errorf("%s %q: the error %q does not name the flag", flag, arg, err)
	}
}

// deepCopy copies c so that a change of the copy leaves c alone.
func deepCopy(c sim.Config) sim.Config {
	d := c
	d.Regions = append([]sim.Region(nil), c.Regions...)
	for i := range d.Regions {
		d.Regions[i].Cities = append([]sim.City(nil), c.Regions[i].Cities...)
		if q := c.Regions[i].Q; q != nil {
			v := *q
			d.Regions[i].Q = &v
		}
	}
	d.Links = append([]sim.Link(nil), c.Links...)
	for i := range d.Links {
		if s := c.Links[i].Search; s != nil {
			v := *s
			d.Links[i].Search = &v
		}
	}
	d.Policies = append([]sim.Policy(nil), c.Policies...)
	d.Initial = append([]sim.Initial(nil), c.Initial...)
	return d
}
