package main

import (
	"crypto/sha256"
	"encoding/hex"
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

// Limits of triad optimize that hold even with --allow-large.
const (
	maxOptimizeReplications = 1_000
	maxOptimizeTop          = 50
)

func (o *optimizeOptions) execute(e *env, fs *pflag.FlagSet) error {
	if o.resume == "" {
		return optimizeWith(e, e.args[1:], nil, "", nil)
	}
	if err := resumeTakesOnly("optimize", "optimization", fs, "workers", "quiet", "json", "shard"); err != nil {
		return err
	}
	if o.shard != "" && runs.IsFile(filepath.Join(o.resume, optimize.Name)) {
		// A shard that starts after the others finished the optimization.
		return optimizeFinished(e, o.resume, o.quiet)
	}
	st, err := optimize.ReadState(o.resume, "optimize")
	if err != nil {
		return err
	}
	return optimizeWith(e, st.Command[1:], &st, o.resume, func(r *optimizeOptions) {
		if fs.Changed("workers") {
			r.workers = o.workers
		}
		if fs.Changed("quiet") {
			r.quiet = o.quiet
		}
		if fs.Changed("json") {
			r.asJSON = o.asJSON
		}
		r.shard = o.shard // the optimization's own command may be a shard's
	})
}

// optimizeWith runs the optimization of command line args (those after
// "optimize"); with st, it continues the unfinished one in folder dir,
// after checking that its scenario and levers are those it started with.
func optimizeWith(e *env, args []string, st *optimize.State, dir string, adjust func(*optimizeOptions)) error {
	var o optimizeOptions
	fs := newFlags("optimize")
	o.addFlags(fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if adjust != nil {
		adjust(&o)
	}
	if err := o.execFlags.check("optimize"); err != nil {
		return err
	}
	switch {
	case fs.NArg() != 1:
		return usagef("optimize", "optimize takes one scenario (a file or a built-in name), got %d", fs.NArg())
	case o.levers == "":
		return usagef("optimize", "--levers FILE is required: the budget, the levers and the objective")
	case o.replications < 2 || o.replications > maxOptimizeReplications:
		return usagef("optimize", "--replications must be from 2 to %d, got %d", maxOptimizeReplications, o.replications)
	case o.fresh < 2 || o.fresh > maxOptimizeReplications:
		return usagef("optimize", "--fresh must be from 2 to %d, got %d", maxOptimizeReplications, o.fresh)
	case o.top < 1 || o.top > maxOptimizeTop:
		return usagef("optimize", "--top must be from 1 to %d, got %d", maxOptimizeTop, o.top)
	case o.evaluations < 1:
		return usagef("optimize", "--evaluations must be at least 1, got %d", o.evaluations)
	case o.shard != "" && o.force:
		return usagef("optimize", "--shard joins the optimization in the folder: it cannot take --force (replace the folder with an optimization without --shard, or remove it)")
	}
	var sh runs.Shard
	if o.shard != "" {
		var err error
		if sh, err = joinShard(e, o.shard, o.quiet); err != nil {
			return err
		}
	}
	_, src, cfg, err := loadScenario(fs.Arg(0), o.large)
	if err != nil {
		return err
	}
	if fs.Changed("seed") {
		cfg.Seed = o.seed
	}
	cfg.Replicates = o.replications
	cfg.Sweep = nil
	if err := cfg.Validate(); err != nil {
		return &inputError{fmt.Errorf("after the command-line overrides:\n%w", err)}
	}
	if err := scenarios.CheckCaps(&cfg, caps(o.large)); err != nil {
		return &inputError{err}
	}
	// The search, the baseline on its best's runs and the re-run of at
	// most top + a front of ten and the baseline.
	if n, limit := float64(o.evaluations)+float64(float64(o.fresh)*float64(o.top+11))+float64(float64(o.replications)*64), caps(o.large).Runs; limit > 0 && n > float64(limit) {
		return &inputError{fmt.Errorf("%d evaluations and %d fresh runs of up to %d allocations are up to %.0f runs, more than the cap of %d, which guards against typos; %s lifts it",
			o.evaluations, o.fresh, o.top+11, n, limit, scenarios.CapFlag)}
	}
	if err := o.checkMemory(&cfg, float64(o.workers), o.workers); err != nil {
		return err
	}
	lsrc, err := runs.ReadFile(o.levers, "a levers file", scenarios.MaxSize)
	if err != nil {
		return &inputError{fmt.Errorf("levers: %w", err)}
	}
	lv, err := scenarios.LoadLevers(o.levers, lsrc, &cfg)
	if err != nil {
		return &inputError{err}
	}
	objectives := []scenarios.Objective{*lv.Objective}
	if lv.Second != nil {
		objectives = append(objectives, *lv.Second)
	}
	settings := optimize.Settings{Levers: len(lv.Levers), Evaluations: o.evaluations, Replications: o.replications, Fresh: o.fresh, Top: o.top}
	for _, obj := range objectives {
		settings.Signs = append(settings.Signs, obj.Sign())
	}
	if err := optimize.CheckBudget(settings); err != nil {
		return usagef("optimize", "%v: raise --evaluations or lower --replications", err)
	}
	if o.out == "" {
		o.out = filepath.Join("out", "optimize-"+cfg.Name)
	}
	key := settings.Key(sha256Hex(src), sha256Hex(lsrc), cfg.Seed)
	if st == nil && o.shard != "" {
		joined, err := optimize.Join(o.out, key, "optimize")
		switch {
		case errors.Is(err, optimize.ErrFinished):
			return optimizeFinished(e, o.out, o.quiet)
		case err != nil:
			return err
		}
		st, dir = joined, o.out
	}
	var memo optimize.Memo
	if st != nil {
		o.out = dir
		switch {
		case sha256Hex(src) != st.ScenarioSHA256:
			return &inputError{fmt.Errorf("the scenario %s changed since the optimization in %s started: start it again with --force", fs.Arg(0), dir)}
		case sha256Hex(lsrc) != st.LeversSHA256:
			return &inputError{fmt.Errorf("the levers %s changed since the optimization in %s started: start it again with --force", o.levers, dir)}
		}
		if memo, err = st.Memo(len(lv.Levers), len(objectives)); err != nil {
			return &inputError{fmt.Errorf("%s: %w", filepath.Join(dir, optimize.StateName), err)}
		}
		if !o.quiet {
			fmt.Fprintf(e.stderr, "continuing the optimization in %s from its %d allocations evaluated\n", dir, len(memo))
		}
	} else if o.shard == "" {
		if err := optimize.Prepare(o.out, o.force); err != nil {
			return err
		}
	}
	state := optimize.State{SchemaVersion: 1, Version: version, Command: append([]string{"optimize"}, args...),
		ScenarioSHA256: sha256Hex(src), LeversSHA256: sha256Hex(lsrc), Key: key}
	shared := o.shard != ""
	if shared || runs.IsFile(filepath.Join(o.out, optimize.EvaluationsDir)) {
		// Every run goes through the folder's store, which the shards share.
		settings.Store, settings.Shard, settings.Shards, settings.Workers = optimize.FolderStore(o.out, key), sh.Index, sh.Count, o.workers
	}
	if shared && st == nil {
		// The state first: a shard that finds the folder no longer empty
		// finds the optimization to join.
		if err := optimize.Checkpoint(o.out, state, optimize.Memo{}, true); err != nil {
			return err
		}
	}
	ev := &optimize.SimEvaluator{Config: cfg, Levers: lv, Objectives: objectives, Workers: o.workers}
	start, rounds := time.Now(), 0
	res, err := optimize.Search(e.ctx, ev, settings, memo, func(m optimize.Memo) error {
		if err := optimize.Checkpoint(o.out, state, m, shared); err != nil {
			return err
		}
		rounds++
		if !o.quiet {
			fmt.Fprintf(e.stderr, "round %d: %d allocations evaluated, %s\n", rounds, len(m), time.Since(start).Round(time.Second))
		}
		if optimizeAfterRound != nil {
			optimizeAfterRound(rounds)
		}
		return nil
	})
	switch {
	case err != nil && e.ctx.Err() != nil:
		if runs.IsFile(filepath.Join(o.out, optimize.StateName)) {
			return &interruptedError{fmt.Sprintf("interrupted while optimizing: the rounds done are kept in %s; continue with triad optimize --resume %s", o.out, o.out)}
		}
		return &interruptedError{"interrupted while optimizing, before its first round was done: run the command again"}
	case err != nil:
		return fmt.Errorf("optimize %s: %w", cfg.Name, err)
	}
	rep := &optimize.Report{Program: e.program(), Scenario: cfg, ScenarioSHA256: sha256Hex(src), LeversFile: o.levers, LeversSHA256: sha256Hex(lsrc),
		Levers: lv, Objectives: objectives, Result: res, Workers: o.workers, Key: key}
	if err := rep.Write(o.out); err != nil {
		return err
	}
	switch {
	case o.asJSON:
		return rep.WriteSummaryJSON(e.stdout, o.out)
	case o.quiet:
		return nil
	}
	return rep.Print(e.stdout, o.out)
}

// optimizeFinished says that the optimization a shard was to join is
// finished: it has nothing to do.
func optimizeFinished(e *env, dir string, quiet bool) error {
	if !quiet {
		fmt.Fprintf(e.stdout, "the optimization in %s is finished; nothing to do\n", dir)
	}
	return nil
}

// sha256Hex is the hex SHA-256 of b, as manifests record files.
func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
