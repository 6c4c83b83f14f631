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

func (o *fitOptions) execute(e *env, fs *pflag.FlagSet) error {
	if o.resume == "" {
		return fitWith(e, e.args[1:], nil, "", nil)
	}
	return resume(e, fs, "fit", "fit", runs.FitName, []string{"workers", "quiet", "shard"}, func(dir string) (*fit.State, []string, error) {
		st, err := fit.ReadState(dir, schemaVersion)
		if err != nil {
			return nil, nil, &inputError{err}
		}
		return st, st.Command, nil
	}, fitWith)
}

// resume goes on, for --resume of command cmd (fs its flags), with the
// unfinished work (what: a fit, an optimization) in the folder it names:
// read reads the work's state there and the command line it started
// with, and with runs that command line (the words after cmd) from the
// state, its flags that never change the numbers (keep, the only ones
// --resume takes) set as --resume gives them, and --shard always (the
// work's own command may be a shard's). A shard that finds the work
// finished (the file finished in the folder) has nothing to do.
func resume[S any](e *env, fs *pflag.FlagSet, cmd, what, finished string, keep []string,
	read func(dir string) (S, []string, error), with func(e *env, args []string, st S, dir string, adjust func(*pflag.FlagSet)) error) error {
	if err := resumeTakesOnly(cmd, what, fs, keep...); err != nil {
		return err
	}
	dir, shard := fs.Lookup("resume").Value.String(), fs.Lookup("shard").Value.String()
	if quiet, _ := fs.GetBool("quiet"); shard != "" && runs.IsFile(filepath.Join(dir, finished)) {
		// A shard that starts after the others finished the work.
		return nothingToDo(e, what, dir, quiet)
	}
	st, command, err := read(dir)
	if err != nil {
		return err
	}
	return with(e, command[1:], st, dir, func(r *pflag.FlagSet) {
		for _, name := range keep {
			if f := fs.Lookup(name); f.Changed || name == "shard" {
				// The value of the same flag: it always sets.
				_ = r.Set(name, f.Value.String())
			}
		}
	})
}

// nothingToDo says, unless quiet, that the work (what: a fit, an
// optimization) in dir that a process was to do or join is finished.
func nothingToDo(e *env, what, dir string, quiet bool) error {
	if !quiet {
		fmt.Fprintf(e.stdout, "the %s in %s is finished; nothing to do\n", what, dir)
	}
	return nil
}

// fitWith runs the fit of command line args (those after "fit"); with st,
// it continues the unfinished fit in folder dir from st's checkpoint,
// after checking that its scenario and targets are those it started with,
// with the flags that adjust sets (those that never change the numbers).
func fitWith(e *env, args []string, st *fit.State, dir string, adjust func(*pflag.FlagSet)) error {
	var o fitOptions
	fs := newFlags("fit")
	o.addFlags(fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if adjust != nil {
		adjust(fs)
	}
	if err := o.execFlags.check("fit"); err != nil {
		return err
	}
	if st != nil {
		o.out = dir
	}
	settings := fit.Settings{Particles: o.particles, Generations: o.generations, Quantile: o.quantile, Seeds: o.seeds, Workers: o.workers}
	bad := settings.Check(o.replications)
	switch {
	case fs.NArg() != 1:
		return usagef("fit", "fit takes one scenario (a file or a built-in name), got %d", fs.NArg())
	case o.targets == "":
		return usagef("fit", "--targets FILE is required: the observed figures to fit")
	case bad != nil:
		return usagef("fit", "--%s %s", bad.Setting, bad.Want)
	case o.shard != "" && o.force:
		return usagef("fit", "--shard joins the fit in the folder: it cannot take --force (replace the folder with a fit without --shard, or remove it)")
	}
	req := &fit.Request{Command: append([]string{"fit"}, args...), Date: fitClock().UTC().Format("2006-01-02"), Version: version, Schema: schemaVersion,
		Settings: settings, TargetsFile: o.targets, Dir: o.out, Resume: st, Home: homeDir(), Force: o.force}
	var err error
	if req.Shard, err = joinShard(e, "fit", o.shard, o.quiet); err != nil {
		return err
	}
	if req.Scenario, req.Src, req.Config, err = o.loadSearch(fs, o.replications, o.seed); err != nil {
		return err
	}
	if err := req.Settings.CheckRuns(o.replications, caps(o.large)); err != nil {
		return &inputError{err}
	}
	// Each worker runs one proposal's replications at a time.
	if err := o.checkMemory(&req.Config, float64(o.workers), o.workers*o.replications); err != nil {
		return err
	}
	// A targets file is YAML like a scenario, with a scenario's cap.
	if req.TargetsSrc, err = runs.ReadFile(o.targets, "a targets file", scenarios.MaxSize); err != nil {
		return &inputError{fmt.Errorf("targets: %w", err)}
	}
	if req.Params, err = scenarios.ParseFitParams(o.params); err != nil {
		return paramUsage("fit", err)
	}
	if req.Dir == "" {
		req.Dir = filepath.Join("out", req.Config.Name+"-fit")
	}
	req.Same = func(c []string) bool { return fitIdentity(c[1:]) == fitIdentity(args) }
	job, err := fit.NewJob(req)
	c, changed := errors.AsType[*fit.ChangedError](err)
	other, isOther := errors.AsType[*fit.OtherFitError](err)
	switch {
	case errors.Is(err, fit.ErrFinished):
		return nothingToDo(e, "fit", req.Dir, o.quiet)
	case errors.Is(err, fit.ErrNoParams):
		return usagef("fit", "no parameters to fit: give --param PATH=LOW:HIGH or a params list in the targets file")
	case changed && c.Targets:
		return &inputError{fmt.Errorf("the targets %s changed since the fit in %s started: start the fit again with --force", o.targets, c.Dir)}
	case changed:
		return &inputError{fmt.Errorf("the scenario %s changed since the fit in %s started: start the fit again with --force", fs.Arg(0), c.Dir)}
	case isOther && other.Finished:
		return &inputError{fmt.Errorf("%w: --shard joins an unfinished one; choose another folder with --out", err)}
	case isOther && other.Err == nil:
		return &inputError{fmt.Errorf("%w; choose another folder with --out", err)}
	case isOther, errors.As(err, new(*fit.InputError)):
		return &inputError{err}
	case err != nil:
		return err
	case o.force:
		noteKept(e, req.Dir, o.quiet)
	case !o.quiet && job.Done() > 0:
		fmt.Fprintf(e.stderr, "continuing the fit in %s after generation %d of %d\n", req.Dir, job.Done(), o.generations)
	}
	res, err := job.Run(e.ctx, fitProgress(e, o, time.Now()))
	switch {
	case errors.Is(err, fit.ErrInterrupted):
		return &interruptedError{fmt.Sprintf("interrupted while fitting: the generations and proposals done are kept in %s; continue with triad fit --resume %s", req.Dir, req.Dir)}
	case err != nil:
		return err
	case res == nil: // a shard's generation is done, and the fit is not
		if !o.quiet {
			fmt.Fprintf(e.stderr, "this shard's generation is done: the next goes on with triad fit --resume %s [--shard I/N]\n", req.Dir)
		}
		return nil
	case o.quiet:
		return nil
	}
	return res.Print(e.stdout, req.Dir)
}

// fitProgress returns what triad fit does after each generation: it
// prints the generation's record (unless quiet) and the warning of a
// generation that needed many proposals.
func fitProgress(e *env, o fitOptions, start time.Time) func(g int, gen fit.Generation) {
	return func(g int, gen fit.Generation) {
		if !o.quiet {
			fmt.Fprintln(e.stderr, fit.ProgressLine(g, o.generations, gen, time.Since(start)))
		}
		if w := fit.ProposalWarning(g, o.generations, gen.Proposals, o.particles); w != "" {
			fmt.Fprintln(e.stderr, "triad: warning: "+w+": fewer --generations or a higher --quantile would stop before that")
		}
		if fitAfterGeneration != nil {
			fitAfterGeneration(g)
		}
	}
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
