package scenarios

import (
	"testing"

	"github.com/triad-sim/triad/sim"
)

func TestSetChangesTheNamedParameters(t *testing.T) {
	cfg := mustLoad(t, "valid/full.yaml")
	err := Set(&cfg, []string{
		"regions.south.p=0.02",
		"cities.alpha.capability.mean=0.7",
		"links.south-north.friction=0.25",
		"diffusion.mixing=well-mixed",
		"seed= 7",
		"steps = 36",
	})
	if err != nil {
		t.Fatalf("got error %v, want none", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"regions.south.p", cfg.Regions[1].P, 0.02},
		{"cities.alpha.capability.mean", cfg.Regions[0].Cities[0].Capability.Mean, 0.7},
		{"links.north-south.friction", cfg.Links[0].Friction, 0.25},
		{"diffusion.mixing", cfg.Diffusion.Mixing, sim.MixingWell},
		{"seed", cfg.Seed, uint64(7)},
		{"steps", cfg.Steps, 36},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestSetNamesTheAssignmentAtFault(t *testing.T) {
	tests := []struct {
		name        string
		assignments []string
		want        string
	}{
		{"unknown parameter", []string{"regions.north.pp=1"},
			`--set regions.north.pp=1: regions have no parameter "pp" (one of p, q, reach, local, pull); did you mean regions.north.p?`},
		{"unknown region", []string{"regions.east.p=0.1"},
			`--set regions.east.p=0.1: no region has id "east"`},
		{"not a number", []string{"diffusion.q=lots"},
			`--set diffusion.q=lots: "lots" is not a number`},
		{"out of range", []string{"regions.north.reach=1.5"},
			`--set regions.north.reach=1.5: 1.5 is outside [0, 1]`},
		{"no equals sign", []string{"seed"},
			`--set seed: want PATH=VALUE`},
		{"every bad assignment", []string{"seed=-1", "steps=0"},
			"--set seed=-1: \"-1\" is not a whole number ≥ 0\n--set steps=0: 0 is outside [1, 100000] (a whole number)"},
		{"a rule between fields", []string{"cities.alpha.capability.spread=0.5"},
			"--set cities.alpha.capability.spread=0.5: regions[0].cities[0].capability.spread: mean 0.6 + spread 0.5 exceeds 1"},
		{"the last assignment that broke a rule", []string{"cities.alpha.capability.spread=0.3", "cities.alpha.capability.mean=0.25"},
			"--set cities.alpha.capability.mean=0.25: regions[0].cities[0].capability.spread: 0.3 must be below capability.mean (0.25) so that every capability stays above 0"},
		{"a parameter set twice", []string{"cities.alpha.capability.mean=0.1", "cities.alpha.capability.mean=0.15"},
			"--set cities.alpha.capability.mean=0.15: sets the parameter that --set cities.alpha.capability.mean=0.1 set already; give each parameter once"},
		{"a policy step beyond the new end", []string{"steps=10"},
			"--set steps=10: policies[0].at: step 12 is outside [0, 10) (steps)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := mustLoad(t, "valid/full.yaml")
			err := Set(&cfg, tc.assignments)
			if _, ok := err.(Errors); !ok {
				t.Fatalf("got %T %v, want Errors", err, err)
			}
			if err.Error() != tc.want {
				t.Errorf("got\n%s\nwant\n%s", err, tc.want)
			}
		})
	}
}

func TestSetForgivesARuleALaterAssignmentRestores(t *testing.T) {
	cfg := mustLoad(t, "valid/full.yaml")
	// Lowering the mean below the spread breaks a rule until the spread
	// follows.
	err := Set(&cfg, []string{"cities.alpha.capability.mean=0.15", "cities.alpha.capability.spread=0.1"})
	if err != nil {
		t.Errorf("got %v, want nil", err)
	}
}

func TestSetReportsProblemsItDidNotCauseByFieldAlone(t *testing.T) {
	cfg := mustLoad(t, "valid/full.yaml")
	cfg.Diffusion.Mixing = "sometimes"
	err := Set(&cfg, []string{"seed=3"})
	want := `diffusion.mixing: "sometimes" is not "fixed" or "well-mixed"`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
