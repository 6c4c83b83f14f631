package fit

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"github.com/triad-sim/triad/internal/calibrate"
	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// MaxProposals is how many proposals per particle one generation of a fit
// may make (calibrate.Settings.MaxProposals is this times the particles).
const MaxProposals = 200

// ProposalCap is the most proposals one generation of a fit of the given
// particles may make.
func ProposalCap(particles int) int { return MaxProposals * particles }

// Spec is a fit to run: the scenario (as named, its source and the config
// with the fit's seed and replicates per particle), the targets file (its
// name and source, and the targets read from it), the parameters, and the
// settings of the ABC-SMC.
type Spec struct {
	Scenario    string
	Src         []byte
	Config      sim.Config
	TargetsFile string
	TargetsSrc  []byte
	Targets     []scenarios.Target
	Params      []Param
	// Particles per generation, Generations in all, Quantile of a
	// generation's distances that becomes the next tolerance.
	Particles, Generations int
	Quantile               float64
	// Seeds is SeedsFresh or SeedsCommon.
	Seeds string
	// Workers run proposals concurrently; it never changes the fit.
	Workers int
	// Command is the command line that started the fit ("fit" and its
	// arguments) and Date the day it started (YYYY-MM-DD); the folder
	// records both.
	Command []string
	Date    string
	// Version and Schema are the program's version and the schema version
	// of its JSON files.
	Version string
	Schema  int
}

// Generation records one generation of a fit: its tolerance (+Inf for the
// first), the proposals drawn, those simulated (inside the prior) and
// those accepted, and the effective sample size of its weights.
type Generation = calibrate.Generation

// Summary describes a weighted sample: mean, standard deviation and the
// 2.5 % and 97.5 % quantiles.
type Summary = calibrate.Summary

func (s *Spec) settings() calibrate.Settings {
	return calibrate.Settings{Particles: s.Particles, Generations: s.Generations, Quantile: s.Quantile, Seed: s.Config.Seed,
		Workers: s.Workers, MaxProposals: ProposalCap(s.Particles)}
}

// Run runs the fit s in the folder dir, which runs.PrepareFit made ready,
// from its state st (nil: from the start; st must be the state of this
// fit, see ReadState). After each generation but the last it replaces the
// folder's state file, then calls done (when set) with the generation's
// number (from 0) and record. When the fit ends it writes the folder
// (Result.Write) and removes the state file. An interrupted fit (ctx
// done) keeps the generations it finished in the state file.
func Run(ctx context.Context, s *Spec, dir string, st *State, done func(g int, gen Generation)) (*Result, error) {
	var from *calibrate.Checkpoint
	if st != nil {
		c := st.checkpoint()
		from = &c
	}
	res, err := calibrate.FitFrom(ctx, s.problem(), s.settings(), from, func(c calibrate.Checkpoint) error {
		g := len(c.Generations) - 1
		if g+1 < s.Generations {
			if err := writeState(dir, newState(s, c)); err != nil {
				return err
			}
		}
		if done != nil {
			done(g, c.Generations[g])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	r := &Result{Spec: s, res: res, densest: res.Densest()}
	if err := r.Write(dir); err != nil {
		return nil, err
	}
	if err := os.Remove(filepath.Join(dir, runs.FitStateName)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return r, nil
}
