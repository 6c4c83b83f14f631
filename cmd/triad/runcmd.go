package main

import (
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/internal/fit"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// experimentFlags are the flags that change the experiment a scenario
// runs; run, compare and check take them alike.
type experimentFlags struct {
	seed         uint64
	replications int
	steps        int
	sets         []string
	policies     []string
	posterior    string
}

// experimentFlagNames are the names of the experiment flags.
var experimentFlagNames = []string{"seed", "replications", "steps", "set", "policy", "posterior"}

// addFlags adds the experiment flags; whose says whose seed and replications
// are the default ("the scenario's").
func (x *experimentFlags) addFlags(fs *pflag.FlagSet, whose string) {
	fs.Uint64Var(&x.seed, "seed", 0, "random seed (default: "+whose+")")
	fs.IntVar(&x.replications, "replications", 0, "replications per sweep point (default: "+whose+")")
	fs.IntVar(&x.steps, "steps", 0, "steps per run (default: the scenario's)")
	fs.StringArrayVar(&x.sets, "set", nil, "set a parameter, PATH=VALUE (repeatable), e.g. regions.gba.p=0.002")
	fs.StringArrayVar(&x.policies, "policy", nil, "add a timed policy, 'at=STEP[,name=TEXT],PATH=VALUE,...' (repeatable)")
	fs.StringVar(&x.posterior, "posterior", "", "a posterior predictive run: each replicate draws the fitted parameters from the final population of the fit in this folder")
}

// apply makes the flags that were given override the scenario.
func (o *runOptions) apply(fs *pflag.FlagSet, cfg *sim.Config) error {
	if len(o.sweeps) > 0 {
		sw, err := scenarios.ParseSweeps(o.sweeps)
		if err != nil {
			return &inputError{err}
		}
		return o.experimentFlags.apply(fs, cfg, sw, o.large)
	}
	return o.experimentFlags.apply(fs, cfg, nil, o.large)
}

// apply makes the experiment flags that were given override the scenario,
// replaces its sweep with sw unless sw is nil, and checks the result: it
// must be valid and within the caps (unless large).
func (x *experimentFlags) apply(fs *pflag.FlagSet, cfg *sim.Config, sw *sim.Sweep, large bool) error {
	ov := x.overrides(fs, large)
	ov.Sweep = sw
	if x.posterior != "" {
		p, err := fit.ReadPosterior(x.posterior)
		if err != nil {
			return &inputError{fmt.Errorf("--posterior: %w", err)}
		}
		ov.Posterior = p
	}
	return applyOverrides(&ov, cfg)
}

// notePosterior says, on a posterior predictive run, where its
// replications' parameters come from.
func notePosterior(e *env, cfg *sim.Config, quiet bool) {
	if cfg.Posterior == nil || quiet {
		return
	}
	fmt.Fprintf(e.stderr, "posterior predictive run: each replicate draws its parameters from the %d particles of the fit %s\n",
		len(cfg.Posterior.Weights), cfg.Posterior.Fit)
}

// overrides are the overrides of the experiment flags that were given,
// with the caps that large leaves.
func (x *experimentFlags) overrides(fs *pflag.FlagSet, large bool) scenarios.Overrides {
	return scenarios.Overrides{Sets: x.sets, Policies: x.policies, Caps: caps(large),
		Seed: changed(fs, "seed", &x.seed), Replications: changed(fs, "replications", &x.replications), Steps: changed(fs, "steps", &x.steps)}
}

// changed is v when its flag name was given, else nil.
func changed[T any](fs *pflag.FlagSet, name string, v *T) *T {
	if fs.Changed(name) {
		return v
	}
	return nil
}

// applyOverrides applies ov to cfg as every command does: what goes wrong
// is bad input (exit 2), and a problem of the scenario that results is
// said to come after the command-line overrides.
func applyOverrides(ov *scenarios.Overrides, cfg *sim.Config) error {
	err := ov.Apply(cfg)
	var after *scenarios.OverriddenError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &after):
		return &inputError{fmt.Errorf("after the command-line overrides:\n%w", after.Err)}
	}
	return &inputError{err}
}
