package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/internal/optimize"
	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
)

// optimizeAfterRound, when set, is called after each round an
// optimization checkpoints (k from 1); tests interrupt it there.
var optimizeAfterRound func(k int)

// optimizeOptions are the flags of `triad optimize`.
type optimizeOptions struct {
	levers       string
	evaluations  int
	replications int
	fresh        int
	top          int
	seed         uint64
	out          string
	force        bool
	asJSON       bool
	resume       string
	shard        string
	execFlags
}

func (o *optimizeOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.levers, "levers", "", "levers file: the budget, the levers with their costs, the objective (required)")
	fs.IntVar(&o.evaluations, "evaluations", 1500, "runs the search may use in all")
	fs.IntVar(&o.replications, "replications", 4, "runs of each allocation in a race's first round (each round doubles them)")
	fs.IntVar(&o.fresh, "fresh", 20, "runs of the honest re-run, on seeds the search never saw")
	fs.IntVar(&o.top, "top", 5, "allocations re-run on fresh seeds: the chosen one and the next best")
	fs.Uint64Var(&o.seed, "seed", 0, "seed the runs derive from (default: the scenario's)")
	fs.StringVarP(&o.out, "out", "o", "", "output folder (default out/optimize-NAME)")
	fs.BoolVar(&o.force, "force", false, "replace an existing optimization folder")
	fs.BoolVar(&o.asJSON, "json", false, "print the answer as JSON (see docs/CLI.md)")
	fs.StringVar(&o.resume, "resume", "", "continue the unfinished optimization in this folder (give no other argument but --workers, --quiet, --json and --shard)")
	fs.StringVar(&o.shard, "shard", "", "share each round's runs with the processes given the same command: run share I of N first (I/N, or auto/N to take I from the batch engine)")
	o.execFlags.addFlags(fs)
}

func (o *optimizeOptions) execute(e *env, fs *pflag.FlagSet) error {
	if o.resume == "" {
		return optimizeWith(e, e.args[1:], nil, "", nil)
	}
	return resume(e, fs, "optimize", "optimization", optimize.Name, []string{"workers", "quiet", "json", "shard"}, func(dir string) (*optimize.State, []string, error) {
		st, err := optimize.ReadState(dir, "optimize")
		return &st, st.Command, err
	}, optimizeWith)
}

// optimizeWith runs the optimization of command line args (those after
// "optimize"); with st, it continues the unfinished one in folder dir
// (optimize.Start checks that its scenario and levers are those it
// started with). It prints the progress and the answer, and words
// optimize.Start's errors.
func optimizeWith(e *env, args []string, st *optimize.State, dir string, adjust func(*pflag.FlagSet)) error {
	var o optimizeOptions
	fs := newFlags("optimize")
	o.addFlags(fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if adjust != nil {
		adjust(fs)
	}
	if err := o.execFlags.check("optimize"); err != nil {
		return err
	}
	settings := optimize.Settings{Evaluations: o.evaluations, Replications: o.replications, Fresh: o.fresh, Top: o.top}
	bad := settings.Check()
	switch {
	case fs.NArg() != 1:
		return usagef("optimize", "optimize takes one scenario (a file or a built-in name), got %d", fs.NArg())
	case o.levers == "":
		return usagef("optimize", "--levers FILE is required: the budget, the levers and the objective")
	case bad != nil:
		return usagef("optimize", "--%s %s", bad.Setting, bad.Want)
	case o.shard != "" && o.force:
		return usagef("optimize", "--shard joins the optimization in the folder: it cannot take --force (replace the folder with an optimization without --shard, or remove it)")
	}
	shard, err := joinShard(e, "optimize", o.shard, o.quiet) // nil: the optimization is not shared
	if err != nil {
		return err
	}
	_, src, cfg, err := o.loadSearch(fs, o.replications, o.seed)
	if err != nil {
		return err
	}
	if err := settings.CheckRuns(caps(o.large).Runs); err != nil {
		return &inputError{err}
	}
	if err := o.checkMemory(&cfg, float64(o.workers), o.workers); err != nil {
		return err
	}
	lsrc, err := runs.ReadFile(o.levers, "a levers file", scenarios.MaxSize)
	if err != nil {
		return &inputError{fmt.Errorf("levers: %w", err)}
	}
	switch {
	case st != nil:
		o.out = dir
	case o.out == "":
		o.out = filepath.Join("out", "optimize-"+cfg.Name)
	}
	req := optimize.Request{Src: src, Config: cfg, LeversFile: o.levers, LeversSrc: lsrc, Settings: settings, Dir: o.out, Force: o.force,
		Shard: shard, Workers: o.workers, Resume: st, Program: e.program(), Command: append([]string{"optimize"}, args...)}
	start := time.Now()
	req.Begin = func(continued bool, n int) {
		if start = time.Now(); continued && !o.quiet {
			fmt.Fprintf(e.stderr, "continuing the optimization in %s from its %d allocations evaluated\n", o.out, n)
		}
	}
	req.Round = func(k, n int) {
		if !o.quiet {
			fmt.Fprintf(e.stderr, "round %d: %d allocations evaluated, %s\n", k, n, time.Since(start).Round(time.Second))
		}
		if optimizeAfterRound != nil {
			optimizeAfterRound(k)
		}
	}
	rep, err := optimize.Start(e.ctx, req)
	var changed *optimize.ChangedError
	var stopped *optimize.InterruptedError
	switch {
	case errors.Is(err, optimize.ErrBudget):
		return usagef("optimize", "%v: raise --evaluations or lower --replications", err)
	case errors.Is(err, optimize.ErrFinished):
		return nothingToDo(e, "optimization", o.out, o.quiet)
	case errors.As(err, &changed):
		name := map[string]string{"scenario": fs.Arg(0), "levers": o.levers}[changed.Input]
		return &inputError{fmt.Errorf("the %s %s changed since the optimization in %s started: start it again with --force", changed.Input, name, o.out)}
	case errors.As(err, &stopped) && stopped.Kept:
		return &interruptedError{fmt.Sprintf("interrupted while optimizing: the rounds done are kept in %s; continue with triad optimize --resume %s", o.out, o.out)}
	case errors.As(err, &stopped):
		return &interruptedError{"interrupted while optimizing, before its first round was done: run the command again"}
	case errors.As(err, new(*optimize.InputError)):
		return &inputError{err}
	case err != nil:
		return err
	case o.asJSON:
		return rep.WriteSummaryJSON(e.stdout, o.out)
	case o.quiet:
		return nil
	}
	return rep.Print(e.stdout, o.out)
}
