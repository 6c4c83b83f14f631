package sim

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// TestPolicyChangesOnlyLaterSteps checks that a policy at step T leaves the
// steps before T exactly as in a run without it and changes the run from T
// on, for each kind of parameter a policy can touch.
func TestPolicyChangesOnlyLaterSteps(t *testing.T) {
	const at = 15
	cases := []struct {
		name string
		set  map[string]float64
	}{
		{"adoption influence", map[string]float64{"regions.acc.p": 0.05}},
		{"friction inside a region", map[string]float64{"links.src-src.friction": 0.9}},
		{"reach rewires the contacts", map[string]float64{"regions.con.reach": 0.05}},
		{"capability", map[string]float64{"cities.fast.capability.mean": 0.3}},
		{"research", map[string]float64{"cities.lab1.research": 0.5}},
	}
	base := mustValid(t, toyConfig())
	plain, err := Run(context.Background(), base, Options{})
	if err != nil {
		t.Fatal(err)
	}
	nR := len(base.Regions)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := base
			cfg.Policies = []Policy{{At: at, Name: c.name, Set: c.set}}
			mustValid(t, cfg)
			res, err := Run(context.Background(), cfg, Options{})
			if err != nil {
				t.Fatal(err)
			}
			changed := false
			for r, run := range res.Runs {
				before, after := run.Rows[:at*nR], run.Rows[at*nR:]
				if !reflect.DeepEqual(before, plain.Runs[r].Rows[:at*nR]) {
					t.Errorf("replicate %d: rows before step %d differ from the run without the policy", r, at)
				}
				if !reflect.DeepEqual(after, plain.Runs[r].Rows[at*nR:]) {
					changed = true
				}
			}
			if !changed {
				t.Errorf("the policy changed nothing from step %d on", at)
			}
		})
	}
}

func TestSetPaths(t *testing.T) {
	cases := []struct {
		path, value string
		get         func(c *Config) float64
		wantErr     string
	}{
		{"regions.acc.p", "0.01", func(c *Config) float64 { return c.Regions[1].P }, ""},
		{"regions.acc.q", "0.2", func(c *Config) float64 { return *c.Regions[1].Q }, ""},
		{"cities.fast.transform", "0.9", func(c *Config) float64 { return c.Regions[1].Cities[0].Transform }, ""},
		{"cities.fast.capability.mean", "0.7", func(c *Config) float64 { return c.Regions[1].Cities[0].Capability.Mean }, ""},
		{"links.con-east.friction", "0.2", func(c *Config) float64 { return c.Links[2].Friction }, ""},
		{"links.east-con.coupling", "3", func(c *Config) float64 { return c.Links[2].Coupling }, ""},
		{"diffusion.q", "0.1", func(c *Config) float64 { return c.Diffusion.Q }, ""},
		{"steps", "12", func(c *Config) float64 { return float64(c.Steps) }, ""},
		{"regions.nowhere.p", "0.1", nil, `regions.nowhere.p: no region has id "nowhere"`},
		{"regions.acc.pp", "0.1", nil, `regions.acc.pp: regions have no parameter "pp"`},
		{"regions.acc.p", "1.5", nil, "regions.acc.p: 1.5 is outside [0, 1]"},
		{"regions.acc.p", "lots", nil, `regions.acc.p: "lots" is not a number`},
		{"steps", "1.5", nil, "steps: 1.5 is outside [1, 100000] (a whole number)"},
		{"links.acc-east.friction", "0.1", nil, `no link "acc-east"`},
		{"links.con->east.friction", "0.1", nil, "sets both directions of con and east"},
		{"bogus", "1", nil, "bogus: no such parameter"},
	}
	for _, c := range cases {
		t.Run(c.path+"="+c.value, func(t *testing.T) {
			cfg := toyConfig()
			err := cfg.Set(c.path, c.value)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.get(&cfg); fmtNum(got) != c.value {
				t.Errorf("got %v, want %s", got, c.value)
			}
		})
	}
}
