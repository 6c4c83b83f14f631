package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
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
	fs.IntVar(&o.replications, "replications", 5, "replicates averaged per particle")
	fs.StringVar(&o.seeds, "seeds", fit.SeedsFresh, "replicate seeds of each particle: fresh (its own, derived from the seed) or common (the same for every particle)")
	fs.Uint64Var(&o.seed, "seed", 0, "seed of the replicates and of the fit (default: the scenario's)")
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

func runFit(e *env, args []string) error {
	var o fitOptions
	fs := newFlags(e, "fit")
	o.addFlags(fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if o.resume != "" {
		// Only what never changes the numbers may differ from the fit's
		// own command line.
		var other []string
		fs.Visit(func(f *pflag.Flag) {
			if f.Name != "resume" && f.Name != "workers" && f.Name != "quiet" && f.Name != "shard" {
				other = append(other, "--"+f.Name)
			}
		})
		if fs.NArg() != 0 || len(other) > 0 {
			return usagef("fit", "--resume OUT takes no scenario and no flag but --workers, --quiet and --shard (got %s): the fit goes on with the settings it started with",
				strings.Join(append(other, fs.Args()...), " "))
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
	return fitWith(e, args, nil, "", nil)
}

// fitWith runs the fit of command line args (those after "fit"); with st,
// it continues the unfinished fit in folder dir from st's checkpoint,
// after checking that its scenario and targets are those it started with,
// with the options that adjust sets (those that never change the numbers).
func fitWith(e *env, args []string, st *fit.State, dir string, adjust func(*fitOptions)) error {
	var o fitOptions
	fs := newFlags(e, "fit")
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
		var from string
		var err error
		if sh, from, err = parseShard(o.shard, os.Getenv); err != nil {
			return err
		}
		if from != "" && !o.quiet {
			fmt.Fprintf(e.stderr, "triad: shard %d of %d (%s=%d)\n", sh.Index, sh.Count, from, sh.Index)
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
		st, err = prepareFit(e, o, spec.Command)
		if errors.Is(err, errFitFinished) {
			if !o.quiet {
				fmt.Fprintf(e.stdout, "the fit in %s is finished; nothing to do\n", o.out)
			}
			return nil
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
	start := time.Now()
	res, err := fit.Run(e.ctx, spec, o.out, st, func(g int, gen fit.Generation) {
		if !o.quiet {
			fmt.Fprintf(e.stderr, "generation %d/%d: tolerance %s, %d accepted of %d proposals (%d simulated), effective size %.0f, %s\n",
				g+1, o.generations, fmtTol(gen.Tolerance), gen.Accepted, gen.Proposals, gen.Simulated, gen.ESS, time.Since(start).Round(time.Second))
		}
		if w := proposalWarning(g, o.generations, gen.Proposals, o.particles); w != "" {
			fmt.Fprintln(e.stderr, "triad: warning: "+w)
		}
		if fitAfterGeneration != nil {
			fitAfterGeneration(g)
		}
	})
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

// prepareFit makes the folder o.out ready for a new fit, or, for a shard
// (--shard), returns the state of the fit of the same command that
// another shard started there.
func prepareFit(e *env, o fitOptions, command []string) (*fit.State, error) {
	if o.shard != "" {
		if st, err := joinFit(o.out, command); err != nil || st != nil {
			return st, err
		}
	}
	if err := runs.PrepareFit(o.out, homeDir(), o.force); err != nil {
		if o.shard == "" {
			return nil, err
		}
		// Another shard may be starting the fit: its state file is on
		// its way (the folder holds it as a temporary file first).
		for wait := 0; wait < 100 && !runs.IsFile(filepath.Join(o.out, runs.FitStateName)); wait++ {
			time.Sleep(50 * time.Millisecond)
		}
		if !runs.IsFile(filepath.Join(o.out, runs.FitStateName)) {
			return nil, err
		}
		return joinFit(o.out, command)
	}
	if o.force {
		noteKept(e, o.out, o.quiet)
	}
	return nil, nil
}

// errFitFinished says that a shard's fit is finished already.
var errFitFinished = errors.New("the fit is finished")

// maxFitJSON caps the fit.json read back: it holds a few figures per
// parameter and target.
const maxFitJSON = 16 << 20

// joinFit returns the state of the fit in dir if dir holds an unfinished
// fit that command (a shard's) would also start, nil if dir holds no fit
// yet, errFitFinished if it holds that fit finished, and an error if it
// holds another.
func joinFit(dir string, command []string) (*fit.State, error) {
	if !runs.IsFile(filepath.Join(dir, runs.FitStateName)) {
		if runs.IsFile(filepath.Join(dir, runs.FitName)) {
			// A shard that starts after the others finished its fit has
			// nothing to do.
			var done struct {
				Command []string `json:"command"`
			}
			if b, err := runs.ReadFile(filepath.Join(dir, runs.FitName), "a fit record", maxFitJSON); err == nil && json.Unmarshal(b, &done) == nil &&
				len(done.Command) > 1 && fitIdentity(done.Command[2:]) == fitIdentity(command[1:]) {
				return nil, errFitFinished
			}
			return nil, &inputError{fmt.Errorf("%s holds another, finished fit: --shard joins an unfinished one; choose another folder with --out", dir)}
		}
		return nil, nil
	}
	st, err := fit.ReadState(dir, schemaVersion)
	if err != nil {
		return nil, &inputError{err}
	}
	if fitIdentity(st.Command[1:]) != fitIdentity(command[1:]) {
		return nil, &inputError{fmt.Errorf("%s holds another fit (triad %s): a shard joins only the fit of its own command; choose another folder with --out",
			dir, strings.Join(st.Command, " "))}
	}
	return st, nil
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

// proposalWarning returns the warning, quiet or not, for generation g (from
// 0) of a fit of the given generations and particles that needed the given
// proposals, or "": a generation that needed half of the proposals a
// generation may make warns when another follows, since the next one, with
// a tighter tolerance, may not fill its population within the cap (and a
// fit that fails so keeps nothing).
func proposalWarning(g, generations, proposals, particles int) string {
	limit := fit.ProposalCap(particles)
	if proposals*2 < limit || g+1 >= generations {
		return ""
	}
	return fmt.Sprintf("generation %d needed %d proposals, half or more of the %d a generation may make; "+
		"the next may not fill its %d particles: fewer --generations or a higher --quantile would stop before that",
		g+1, proposals, limit, particles)
}

// fmtTol prints a tolerance ("∞" for the first generation's).
func fmtTol(t float64) string {
	if math.IsInf(t, 1) {
		return "∞"
	}
	return strconv.FormatFloat(t, 'g', 3, 64)
}

// printFit prints the fit's posterior, its fit of each target with the
// posterior predictive check, and its generations, in tables that fit 100
// columns but for very long parameter or target names.
func printFit(w io.Writer, r *fit.Result, dir string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprintf(tw, "parameter\tprior\twas\tposterior\t95 %% interval\tsd/prior\tfitted\n")
	for j, p := range r.Spec.Params {
		s := r.Posterior(j)
		fmt.Fprintf(tw, "%s\t[%s, %s]\t%s\t%.3g ± %.2g\t[%.3g, %.3g]\t%.2f\t%s\n", shortLabel(p.Paths), ff(p.Lo), ff(p.Hi), ff(p.Original),
			s.Mean, s.SD, s.Lo, s.Hi, r.Identifiability(j), ff(r.Fitted(j)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "target\tobserved\tfitted mean\t95 %% interval\tz\tpred. p\n")
	misses := 0
	for i, t := range r.Spec.Targets {
		s := r.Figure(i)
		c := r.Check(i)
		mark := ""
		if !c.Inside {
			mark, misses = " !", misses+1
		}
		fmt.Fprintf(tw, "%s\t%s ± %s\t%.3g\t[%.3g, %.3g]\t%+.2f\t%.2f%s\n", t.Name(), ff(*t.Value), ff(*t.Uncertainty), s.Mean, s.Lo, s.Hi, r.Z(i), c.P, mark)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "generation\ttolerance\taccepted\tacceptance\teffective size\n")
	for g, gen := range r.Generations() {
		fmt.Fprintf(tw, "%d\t%s\t%d of %d\t%.1f %%\t%.0f\n", g+1, fmtTol(gen.Tolerance), gen.Accepted, gen.Proposals, 100*fit.Acceptance(gen), gen.ESS)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	check := "Every observed figure lies within its 95 % predictive band"
	if misses > 0 {
		check = fmt.Sprintf("%d observed figure(s) lie outside their 95 %% predictive band (!)", misses)
	}
	_, err := fmt.Fprintf(w, "\nposterior: mean ± sd; sd/prior: its sd over the prior's (near 1: the targets say little);\n"+
		"fitted: the value the fitted scenario takes, where the posterior is densest.\n"+
		"pred. p: the share of the figures the fitted model predicts, measurement error included,\n"+
		"at or below the observed one (near 0 or 1: it cannot reproduce it).\n"+
		"%s.\n"+
		"Written to %s:\n"+
		"report.html, fit.csv, fit.json, targets.csv, posterior.csv, generations.csv,\n"+
		"scenario.yaml (the fitted scenario), plots/posterior-PARAMETER.png\n", check, dir)
	return err
}

func ff(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// shortLabel names a parameter of one or more paths in a terminal table:
// the path, or the first path and how many more share its value.
func shortLabel(paths []string) string {
	if len(paths) == 1 {
		return paths[0]
	}
	return fmt.Sprintf("%s (+%d)", paths[0], len(paths)-1)
}
