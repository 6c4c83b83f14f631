package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/internal/fit"
	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// fitClock is the clock whose date the fitted scenario records; tests fix
// it.
var fitClock = time.Now

// fitAfterGeneration, when set, is called after each generation a fit
// keeps (g from 0); tests interrupt a fit there.
var fitAfterGeneration func(g int)

// fitOptions are the flags of `triad fit`.
type fitOptions struct {
	targets      string
	params       []string
	particles    int
	generations  int
	quantile     float64
	replications int
	seeds        string
	seed         uint64
	out          string
	force        bool
	resume       string
	shard        string
	execFlags
}

func (o *fitOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.targets, "targets", "", "targets file: the observed figures, their uncertainties and sources (required)")
	fs.StringArrayVar(&o.params, "param", nil, "a parameter to fit with its prior range, PATH=LOW:HIGH (repeatable; PATH,PATH=... fits several paths as one value; replaces the targets file's params)")
	fs.IntVar(&o.particles, "particles", 200, "particles per generation")
	fs.IntVar(&o.generations, "generations", 6, "generations of ABC-SMC, the first drawn from the prior")
	fs.Float64Var(&o.quantile, "quantile", 0.5, "quantile of a generation's distances that becomes the next tolerance")
	fs.IntVar(&o.replications, "replications", 5, "replications averaged per particle")
	fs.StringVar(&o.seeds, "seeds", fit.SeedsFresh, "replicate seeds of each particle: fresh (its own, derived from the seed) or common (the same for every particle)")
	fs.Uint64Var(&o.seed, "seed", 0, "seed of the replications and of the fit (default: the scenario's)")
	fs.StringVarP(&o.out, "out", "o", "", "output folder (default out/NAME-fit)")
	fs.BoolVar(&o.force, "force", false, "replace an existing fit folder (only one that holds a fit.json and nothing triad did not write)")
	fs.StringVar(&o.resume, "resume", "", "continue the unfinished fit in this folder, from where it stopped (give no other argument but --workers, --quiet and --shard)")
	fs.StringVar(&o.shard, "shard", "", "share the next generation's proposals with other processes: simulate share I of N first (I/N, or auto/N to take I from the batch engine), then stop when the generation is done")
	o.execFlags.addFlags(fs)
}

// Limits of triad fit that hold even with --allow-large: the particles
// of a generation and the generations are held in memory (and a
// generation draws at most fit.MaxProposals proposals per particle).
const (
	maxFitParticles   = 100_000
	maxFitGenerations = 1_000
)

func (o *fitOptions) execute(e *env, fs *pflag.FlagSet) error {
	if o.resume != "" {
		// Only what never changes the numbers may differ from the fit's
		// own command line.
		if err := resumeTakesOnly("fit", "fit", fs, "workers", "quiet", "shard"); err != nil {
			return err
		}
		if o.shard != "" && runs.IsFile(filepath.Join(o.resume, runs.FitName)) {
			// A shard that starts after the others finished the fit.
			if !o.quiet {
				fmt.Fprintf(e.stdout, "the fit in %s is finished; nothing to do\n", o.resume)
			}
			return nil
		}
		st, err := fit.ReadState(o.resume, schemaVersion)
		if err != nil {
			return &inputError{err}
		}
		return fitWith(e, st.Command[1:], st, o.resume, func(r *fitOptions) {
			if fs.Changed("workers") {
				r.workers = o.workers
			}
			if fs.Changed("quiet") {
				r.quiet = o.quiet
			}
			r.shard = o.shard // the fit's own command may be a shard's
		})
	}
	return fitWith(e, e.args[1:], nil, "", nil)
}

// fitWith runs the fit of command line args (those after "fit"); with st,
// it continues the unfinished fit in folder dir from st's checkpoint,
// after checking that its scenario and targets are those it started with,
// with the options that adjust sets (those that never change the numbers).
func fitWith(e *env, args []string, st *fit.State, dir string, adjust func(*fitOptions)) error {
	var o fitOptions
	fs := newFlags("fit")
	o.addFlags(fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if adjust != nil {
		adjust(&o)
	}
	if err := o.execFlags.check("fit"); err != nil {
		return err
	}
	if st != nil {
		o.out = dir
	}
	switch {
	case fs.NArg() != 1:
		return usagef("fit", "fit takes one scenario (a file or a built-in name), got %d", fs.NArg())
	case o.targets == "":
		return usagef("fit", "--targets FILE is required: the observed figures to fit")
	case o.particles < 2 || o.particles > maxFitParticles:
		return usagef("fit", "--particles must be from 2 to %d, got %d", maxFitParticles, o.particles)
	case o.generations < 1 || o.generations > maxFitGenerations:
		return usagef("fit", "--generations must be from 1 to %d, got %d", maxFitGenerations, o.generations)
	case !(o.quantile > 0 && o.quantile < 1):
		return usagef("fit", "--quantile must be between 0 and 1, got %g", o.quantile)
	case o.replications < 1:
		return usagef("fit", "--replications must be at least 1, got %d", o.replications)
	case o.seeds != fit.SeedsFresh && o.seeds != fit.SeedsCommon:
		return usagef("fit", "--seeds must be %s or %s, got %q", fit.SeedsFresh, fit.SeedsCommon, o.seeds)
	case o.shard != "" && o.force:
		return usagef("fit", "--shard joins the fit in the folder: it cannot take --force (replace the folder with a fit without --shard, or remove it)")
	}
	var sh runs.Shard
	if o.shard != "" {
		var err error
		if sh, err = joinShard(e, o.shard, o.quiet); err != nil {
			return err
		}
	}
	name, src, cfg, err := loadScenario(fs.Arg(0), o.large)
	if err != nil {
		return err
	}
	ov := scenarios.Overrides{Replications: &o.replications, NoSweep: true, Caps: caps(o.large)}
	if fs.Changed("seed") {
		ov.Seed = &o.seed
	}
	if err := applyOverrides(&ov, &cfg); err != nil {
		return err
	}
	// A fit runs at least particles × generations × replications runs,
	// and up to fit.MaxProposals times as many.
	if n, limit := float64(o.particles)*float64(o.generations)*float64(o.replications), caps(o.large).Runs; limit > 0 && n > float64(limit) {
		return &inputError{fmt.Errorf("%d particles × %d generations × %d replications is at least %.0f runs, more than the cap of %d, which guards against typos; %s lifts it", o.particles, o.generations, o.replications, n, limit, scenarios.CapFlag)}
	}
	// Each worker runs one proposal's replications at a time.
	if err := o.checkMemory(&cfg, float64(o.workers), o.workers*o.replications); err != nil {
		return err
	}
	// A targets file is YAML like a scenario, with a scenario's cap.
	tsrc, err := runs.ReadFile(o.targets, "a targets file", scenarios.MaxSize)
	if err != nil {
		return &inputError{fmt.Errorf("targets: %w", err)}
	}
	tg, err := scenarios.LoadTargets(o.targets, tsrc, &cfg)
	if err != nil {
		return &inputError{err}
	}
	params, err := fitParams(&cfg, o.params, tg.Params)
	if err != nil {
		return err
	}
	if o.out == "" {
		o.out = filepath.Join("out", cfg.Name+"-fit")
	}
	spec := &fit.Spec{
		Scenario: name, Src: src, Config: cfg, TargetsFile: o.targets, TargetsSrc: tsrc, Targets: tg.Targets, Params: params,
		Particles: o.particles, Generations: o.generations, Quantile: o.quantile, Seeds: o.seeds, Workers: o.workers,
		Command: append([]string{"fit"}, args...), Date: fitClock().UTC().Format("2006-01-02"), Version: version, Schema: schemaVersion,
		Shard: sh.Index, Shards: sh.Count, OneGeneration: o.shard != "",
	}
	if st == nil {
		st, err = fit.Prepare(o.out, homeDir(), o.force, o.shard != "", schemaVersion, func(c []string) bool { return fitIdentity(c[1:]) == fitIdentity(spec.Command[1:]) })
		switch {
		case errors.Is(err, fit.ErrFinished):
			if !o.quiet {
				fmt.Fprintf(e.stdout, "the fit in %s is finished; nothing to do\n", o.out)
			}
			return nil
		case errors.As(err, new(*fit.OtherFitError)):
			return &inputError{err}
		case err == nil && st == nil && o.force:
			noteKept(e, o.out, o.quiet)
		}
		if err != nil {
			return err
		}
		if st != nil { // a shard joins the fit another started
			dir = o.out
		}
	}
	if st != nil {
		switch {
		case st.ScenarioChanged(src):
			return &inputError{fmt.Errorf("the scenario %s changed since the fit in %s started: start the fit again with --force", fs.Arg(0), dir)}
		case st.TargetsChanged(tsrc):
			return &inputError{fmt.Errorf("the targets %s changed since the fit in %s started: start the fit again with --force", o.targets, dir)}
		}
		spec.Date = st.Date
		if !o.quiet && st.Done() > 0 {
			fmt.Fprintf(e.stderr, "continuing the fit in %s after generation %d of %d\n", dir, st.Done(), o.generations)
		}
	}
	res, err := fit.Run(e.ctx, spec, o.out, st, fitProgress(e, o, time.Now()))
	if err != nil && e.ctx.Err() != nil {
		return &interruptedError{fmt.Sprintf("interrupted while fitting: the generations and proposals done are kept in %s; continue with triad fit --resume %s", o.out, o.out)}
	}
	if err != nil {
		return fmt.Errorf("fit %s: %w", cfg.Name, err)
	}
	if res == nil { // a shard's generation is done, and the fit is not
		if !o.quiet {
			fmt.Fprintf(e.stderr, "this shard's generation is done: the next goes on with triad fit --resume %s [--shard I/N]\n", o.out)
		}
		return nil
	}
	if o.quiet {
		return nil
	}
	return printFit(e.stdout, res, o.out)
}

// fitIdentity is what decides a fit in its command line args (those after
// "fit"): the scenario and every flag given but those that never change
// the numbers (--workers, --quiet, --shard) or name the folder.
func fitIdentity(args []string) string {
	var o fitOptions
	fs := pflag.NewFlagSet("fit", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o.addFlags(fs)
	if fs.Parse(args) != nil {
		return "unreadable: " + strings.Join(args, " ")
	}
	var parts []string
	fs.Visit(func(f *pflag.Flag) {
		switch f.Name {
		case "workers", "quiet", "shard", "out", "force", "resume":
		default:
			parts = append(parts, f.Name+"="+f.Value.String())
		}
	})
	return strings.Join(append(parts, fs.Args()...), "\x00")
}

// fitParams reads the parameters to fit from the --param flags, or else
// from the targets file, and checks them against cfg.
func fitParams(cfg *sim.Config, flags []string, file []scenarios.FitParam) ([]fit.Param, error) {
	if len(flags) > 0 {
		file = nil
		for _, a := range flags {
			path, l, h, err := parseParamRange("fit", a)
			if err != nil {
				return nil, err
			}
			file = append(file, scenarios.FitParam{Path: path, Low: &l, High: &h})
		}
	}
	if len(file) == 0 {
		return nil, usagef("fit", "no parameters to fit: give --param PATH=LOW:HIGH or a params list in the targets file")
	}
	ps, err := fit.Params(cfg, file)
	if err != nil {
		return nil, &inputError{err}
	}
	return ps, nil
}
