package fit

import (
	"context"
	"errors"
	"fmt"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// ErrNoParams says that a fit has no parameters to fit: its request names
// none and its targets file lists none. It is the input's fault.
var ErrNoParams = errors.New("no parameters to fit")

// ErrInterrupted is the error of a fit stopped by its context: the
// generations and proposals done are kept in its folder, and the fit goes
// on from them.
var ErrInterrupted = errors.New("the fit was interrupted")

// InputError is the error of a fit's targets file or parameters: the
// input's fault.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// ChangedError is the error of a fit that would go on with a scenario
// (or, with Targets, a targets file) other than the one it started with in
// the folder Dir. It is the input's fault.
type ChangedError struct {
	Targets bool
	Dir     string
}

func (e *ChangedError) Error() string {
	what := "scenario"
	if e.Targets {
		what = "targets"
	}
	return fmt.Sprintf("the %s changed since the fit in %s started", what, e.Dir)
}

// Request is a fit to start, to continue or to join, as a command asks
// for it.
type Request struct {
	// Scenario is the scenario as named, Src its source and Config the
	// scenario with the fit's seed and replications per particle.
	Scenario string
	Src      []byte
	Config   sim.Config
	// TargetsFile names the targets file and TargetsSrc holds it.
	TargetsFile string
	TargetsSrc  []byte
	// Params are the parameters to fit with their prior ranges; none: those
	// the targets file lists.
	Params []scenarios.FitParam
	Settings
	// Command, Version and Schema: see Spec. Date is the day a new fit
	// starts; one that goes on keeps the day it started.
	Command []string
	Date    string
	Version string
	Schema  int
	// Dir is the fit's folder. Resume, when set, is the state of the
	// unfinished fit there to go on with (see ReadState); else Dir is made
	// ready for a new fit (runs.PrepareFit, with Home and Force) or, with Shard,
	// the fit of the same command there is joined (Same reports whether a
	// command line, "fit" and its arguments, is that of this fit).
	Dir    string
	Resume *State
	Home   string
	Force  bool
	Same   func(command []string) bool
	// Shard, when set, is the share of each batch of proposals this
	// process simulates first; the process stops once the generation it
	// works on is done (see Spec.OneGeneration).
	Shard *runs.Shard
}

// Job is a fit ready to run in its folder.
type Job struct {
	spec *Spec
	dir  string
	st   *State
}

// NewJob reads the targets and the parameters of the fit r and makes its
// folder ready: a new fit's, or the unfinished fit's that it goes on
// with, whose scenario and targets must be those it started with. Its
// errors: ErrNoParams, an *InputError for the targets or the parameters,
// ErrFinished for a shard of a finished fit, an *OtherFitError for a
// shard of a folder that holds another fit, a *ChangedError, and those of
// runs.PrepareFit.
func NewJob(r *Request) (*Job, error) {
	tg, err := scenarios.LoadTargets(r.TargetsFile, r.TargetsSrc, &r.Config)
	if err != nil {
		return nil, &InputError{err}
	}
	fps := r.Params
	if len(fps) == 0 {
		fps = tg.Params
	}
	if len(fps) == 0 {
		return nil, ErrNoParams
	}
	ps, err := Params(&r.Config, fps)
	if err != nil {
		return nil, &InputError{err}
	}
	s := &Spec{
		Scenario: r.Scenario, Src: r.Src, Config: r.Config, TargetsFile: r.TargetsFile, TargetsSrc: r.TargetsSrc, Targets: tg.Targets, Params: ps,
		Settings: r.Settings, Command: r.Command, Date: r.Date, Version: r.Version, Schema: r.Schema,
	}
	if r.Shard != nil {
		s.Shard, s.Shards, s.OneGeneration = r.Shard.Index, r.Shard.Count, true
	}
	st := r.Resume
	if st == nil {
		if st, err = prepare(r.Dir, r.Home, r.Force, r.Shard != nil, r.Schema, r.Same); err != nil {
			return nil, err
		}
	}
	if st != nil {
		switch {
		case st.ScenarioChanged(r.Src):
			return nil, &ChangedError{Dir: r.Dir}
		case st.TargetsChanged(r.TargetsSrc):
			return nil, &ChangedError{Targets: true, Dir: r.Dir}
		}
		s.Date = st.Date
	}
	return &Job{spec: s, dir: r.Dir, st: st}, nil
}

// Done is the number of generations the fit has done before this job:
// those of the fit it goes on with or joins.
func (j *Job) Done() int {
	if j.st == nil {
		return 0
	}
	return j.st.Done()
}

// Run runs the job's fit (see Run) and returns its result, or a nil
// result and no error when a shard's generation is done and the fit is
// not. A fit stopped by ctx returns an error that wraps ErrInterrupted.
func (j *Job) Run(ctx context.Context, done func(g int, gen Generation)) (*Result, error) {
	res, err := Run(ctx, j.spec, j.dir, j.st, done)
	if err != nil && ctx.Err() != nil {
		return nil, fmt.Errorf("%w: %w", ErrInterrupted, err)
	}
	if err != nil {
		return nil, fmt.Errorf("fit %s: %w", j.spec.Config.Name, err)
	}
	return res, nil
}
