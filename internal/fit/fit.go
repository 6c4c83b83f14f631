package fit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

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
// with the fit's seed and replications per particle), the targets file (its
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
	Settings
	// Command is the command line that started the fit ("fit" and its
	// arguments) and Date the day it started (YYYY-MM-DD); the folder
	// records both.
	Command []string
	Date    string
	// Version and Schema are the program's version and the schema version
	// of its JSON files.
	Version string
	Schema  int
	// Shard of Shards (0 or 1: the fit runs in one process) says which
	// share of each batch of proposals this process simulates first (see
	// calibrate.Settings); processes that share the folder split every
	// generation among themselves, and any split gives the same fit. With
	// OneGeneration the process stops once the generation it works on is
	// done (a job of a job array per generation).
	Shard, Shards int
	OneGeneration bool
}

// Settings are the settings of a fit's ABC-SMC: Particles per generation,
// Generations in all, Quantile of a generation's distances that becomes
// the next tolerance, the replicate Seeds of a particle (SeedsFresh or
// SeedsCommon), and the Workers that run proposals concurrently (they
// never change the fit).
type Settings struct {
	Particles, Generations int
	Quantile               float64
	Seeds                  string
	Workers                int
}

// Limits of a fit that hold even with the caps lifted: the particles of
// a generation and the generations are held in memory (and a generation
// draws at most MaxProposals proposals per particle).
const (
	maxParticles   = 100_000
	maxGenerations = 1_000
)

// Check returns the first of these settings, of the given replications per
// particle, that is out of its range (in the order particles, generations,
// quantile, replications, seeds), or nil when all are in range.
func (s Settings) Check(replications int) *scenarios.SettingError {
	switch {
	case s.Particles < 2 || s.Particles > maxParticles:
		return &scenarios.SettingError{Setting: "particles", Want: fmt.Sprintf("must be from 2 to %d, got %d", maxParticles, s.Particles)}
	case s.Generations < 1 || s.Generations > maxGenerations:
		return &scenarios.SettingError{Setting: "generations", Want: fmt.Sprintf("must be from 1 to %d, got %d", maxGenerations, s.Generations)}
	case !(s.Quantile > 0 && s.Quantile < 1):
		return &scenarios.SettingError{Setting: "quantile", Want: fmt.Sprintf("must be between 0 and 1, got %g", s.Quantile)}
	case replications < 1:
		return &scenarios.SettingError{Setting: "replications", Want: fmt.Sprintf("must be at least 1, got %d", replications)}
	case s.Seeds != SeedsFresh && s.Seeds != SeedsCommon:
		return &scenarios.SettingError{Setting: "seeds", Want: fmt.Sprintf("must be %s or %s, got %q", SeedsFresh, SeedsCommon, s.Seeds)}
	}
	return nil
}

// CheckRuns refuses a fit of these settings, of the given replications per
// particle, that would exceed the cap on runs of caps (which guards against
// typos): it runs at least particles × generations × replications runs,
// and up to MaxProposals times as many.
func (s Settings) CheckRuns(replications int, caps scenarios.Caps) error {
	if n, limit := float64(s.Particles)*float64(s.Generations)*float64(replications), caps.Runs; limit > 0 && n > float64(limit) {
		return fmt.Errorf("%d particles × %d generations × %d replications is at least %.0f runs, more than the cap of %d, which guards against typos; %s lifts it",
			s.Particles, s.Generations, replications, n, limit, scenarios.CapFlag)
	}
	return nil
}

// key identifies the fit whose proposals a folder holds: everything that
// decides a proposal's figures.
func (s *Spec) key() string {
	var ps []string
	for _, p := range s.Params {
		ps = append(ps, fmt.Sprintf("%s=%s:%s", p.Label, ff(p.Lo), ff(p.Hi)))
	}
	return sha256Hex(fmt.Appendf(nil, "%s\n%s\n%q\n%d %d %s %s %d %s", sha256Hex(s.Src), sha256Hex(s.TargetsSrc), ps,
		s.Particles, s.Generations, ff(s.Quantile), s.Seeds, s.Config.Seed, strconv.Itoa(s.Config.Replicates)))
}

// Generation records one generation of a fit: its tolerance (+Inf for the
// first), the proposals drawn, those simulated (inside the prior) and
// those accepted, and the effective sample size of its weights.
type Generation = calibrate.Generation

// Summary describes a weighted sample: mean, standard deviation and the
// 2.5 % and 97.5 % quantiles.
type Summary = calibrate.Summary

func (s *Spec) settings(dir string) calibrate.Settings {
	return calibrate.Settings{Particles: s.Particles, Generations: s.Generations, Quantile: s.Quantile, Seed: s.Config.Seed,
		Workers: s.Workers, MaxProposals: ProposalCap(s.Particles),
		Store: folderStore{dir: dir, key: s.key()}, Shard: s.Shard, Shards: s.Shards}
}

// errOneDone stops a fit of Spec.OneGeneration after its generation.
var errOneDone = errors.New("the generation is done")

// Run runs the fit s in the folder dir, which runs.PrepareFit made ready,
// from its state st (nil: from the start; st must be the state of this
// fit, see ReadState). It keeps the fit's state file (runs.FitStateName)
// from the start, and replaces it after each generation but the last; it
// keeps every simulated proposal in runs.FitProposalsDir as it is done;
// it calls done (when set) after each generation with the generation's
// number (from 0) and record. When the fit ends it writes the folder
// (Result.Write) and removes the state file and, unless the fit is
// sharded (other processes may still read them), the proposals. An
// interrupted fit (ctx done) keeps the state and the proposals, and goes
// on from them. With s.OneGeneration, Run returns a nil Result and no
// error once the generation it works on is done and the fit is not.
func Run(ctx context.Context, s *Spec, dir string, st *State, done func(g int, gen Generation)) (*Result, error) {
	var from *calibrate.Checkpoint
	switch {
	case st == nil && !runs.IsFile(filepath.Join(dir, runs.FitStateName)):
		// The state first: a shard that finds the folder no longer empty
		// finds the fit to join.
		if err := writeState(dir, newState(s, calibrate.Checkpoint{})); err != nil {
			return nil, err
		}
	case st != nil && st.Done() > 0:
		c := st.checkpoint()
		from = &c
	}
	if err := os.MkdirAll(filepath.Join(dir, runs.FitProposalsDir), 0o755); err != nil {
		return nil, err
	}
	res, err := calibrate.FitFrom(ctx, s.problem(), s.settings(dir), from, func(c calibrate.Checkpoint) error {
		g := len(c.Generations) - 1
		if g+1 < s.Generations {
			// A shard that ends a generation after another went on to the
			// next leaves the newer state alone.
			if cur, err := ReadState(dir, s.Schema); err != nil || cur.Done() < len(c.Generations) {
				if err := writeState(dir, newState(s, c)); err != nil {
					return err
				}
			}
		}
		if done != nil {
			done(g, c.Generations[g])
		}
		if s.OneGeneration && g+1 < s.Generations {
			return errOneDone
		}
		return nil
	})
	if errors.Is(err, errOneDone) {
		return nil, nil
	}
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
	if s.Shards <= 1 {
		if err := removeProposals(dir); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// removeProposals removes the proposal files of the fit folder dir, and
// their folder if that leaves it empty.
func removeProposals(dir string) error {
	pdir := filepath.Join(dir, runs.FitProposalsDir)
	entries, err := os.ReadDir(pdir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	left := 0
	for _, e := range entries {
		if !e.Type().IsRegular() || !runs.IsFitProposalName(e.Name()) {
			left++
			continue
		}
		if err := os.Remove(filepath.Join(pdir, e.Name())); err != nil {
			return err
		}
	}
	if left == 0 {
		return os.Remove(pdir)
	}
	return nil
}
