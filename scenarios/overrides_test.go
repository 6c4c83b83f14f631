package scenarios

import (
	"errors"
	"strings"
	"testing"

	"github.com/triad-sim/triad/sim"
)

func TestOverridesApply(t *testing.T) {
	seed, reps, steps, bad := uint64(99), 3, 40, 0
	cases := []struct {
		name string
		ov   Overrides
		// check tests the config when want is "".
		check func(t *testing.T, before, after sim.Config)
		// want is the start of the error, after says that it is a problem
		// of the overridden scenario (an *OverriddenError).
		want  string
		after bool
	}{
		{name: "nothing changes nothing", ov: Overrides{Caps: DefaultCaps}, check: func(t *testing.T, b, a sim.Config) {
			if a.Seed != b.Seed || a.Replicates != b.Replicates || a.Steps != b.Steps || len(a.Policies) != len(b.Policies) || (a.Sweep == nil) != (b.Sweep == nil) {
				t.Errorf("the config changed: %+v", a)
			}
		}},
		{name: "seed, replications and steps", ov: Overrides{Seed: &seed, Replications: &reps, Steps: &steps}, check: func(t *testing.T, _, a sim.Config) {
			if a.Seed != 99 || a.Replicates != 3 || a.Steps != 40 {
				t.Errorf("got seed %d, replicates %d, steps %d; want 99, 3, 40", a.Seed, a.Replicates, a.Steps)
			}
		}},
		{name: "sets", ov: Overrides{Sets: []string{"diffusion.q=0.3"}}, check: func(t *testing.T, _, a sim.Config) {
			if v, _ := a.ParamValue("diffusion.q"); v != 0.3 {
				t.Errorf("diffusion.q is %g, want 0.3", v)
			}
		}},
		{name: "a sweep argument replaces the sweep", ov: Overrides{Sweeps: []string{"diffusion.q=0.1,0.2"}, Sweep: &sim.Sweep{}}, check: func(t *testing.T, _, a sim.Config) {
			if a.Sweep == nil || len(a.Sweep.Params) != 1 || len(a.Sweep.Params[0].Values) != 2 {
				t.Errorf("got sweep %+v, want the --sweep's", a.Sweep)
			}
		}},
		{name: "no sweep drops it", ov: Overrides{NoSweep: true, Sweeps: []string{"diffusion.q=0.1,0.2"}}, check: func(t *testing.T, _, a sim.Config) {
			if a.Sweep != nil {
				t.Errorf("got sweep %+v, want none", a.Sweep)
			}
		}},
		{name: "policies are added", ov: Overrides{Policies: []string{"at=2,diffusion.q=0.4"}}, check: func(t *testing.T, b, a sim.Config) {
			if len(a.Policies) != len(b.Policies)+1 || a.Policies[len(a.Policies)-1].Name != "policy 1 (command line)" {
				t.Errorf("got policies %+v", a.Policies)
			}
		}},
		{name: "a sweep that does not read", ov: Overrides{Sweeps: []string{"diffusion.q"}}, want: "--sweep diffusion.q: want PATH="},
		{name: "a set that does not apply", ov: Overrides{Sets: []string{"diffusion.qq=1"}}, want: "--set diffusion.qq=1: "},
		{name: "a policy that does not read", ov: Overrides{Policies: []string{"diffusion.q=0.4"}}, want: "--policy diffusion.q=0.4: give the step"},
		// Set reports what makes the config invalid, the assignments'
		// fault or not; a policy is checked after.
		{name: "an invalid value", ov: Overrides{Steps: &bad}, want: "steps: 0 is outside"},
		{name: "an invalid policy", ov: Overrides{Policies: []string{"at=1000,diffusion.q=0.4"}}, want: "policies[", after: true},
		{name: "over the caps", ov: Overrides{Replications: &reps, Caps: Caps{Replicates: 2}}, want: "replications: 3 replications is more than the cap of 2", after: true},
		{name: "a sweep over the caps", ov: Overrides{Sweeps: []string{"diffusion.q=0.1,0.2,0.3"}, Caps: Caps{Runs: 2}}, want: "sweep", after: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := mustLoad(t, "valid/full.yaml")
			cfg := mustLoad(t, "valid/full.yaml")
			err := c.ov.Apply(&cfg)
			if c.want == "" {
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				c.check(t, before, cfg)
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("got error %v, want one that starts %q", err, c.want)
			}
			var oe *OverriddenError
			if errors.As(err, &oe) != c.after {
				t.Errorf("the error is an OverriddenError: %v, want %v", !c.after, c.after)
			}
		})
	}
}
