package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/internal/calibrate"
	"github.com/triad-sim/triad/output/chart"
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
	execFlags
}

// The --seeds modes of triad fit.
const (
	// fitSeedsFresh runs each proposal on replicate seeds of its own, drawn
	// from the fit's seed, the generation and the proposal: no particle is
	// judged on the same few runs' luck as every other.
	fitSeedsFresh = "fresh"
	// fitSeedsCommon runs every proposal on the same replicate seeds
	// (common random numbers): particles differ by their parameters alone,
	// but the fit also fits those few runs' noise.
	fitSeedsCommon = "common"
)

func (o *fitOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.targets, "targets", "", "targets file: the observed figures, their uncertainties and sources (required)")
	fs.StringArrayVar(&o.params, "param", nil, "a parameter to fit with its prior range, PATH=LOW:HIGH (repeatable; PATH,PATH=... fits several paths as one value; replaces the targets file's params)")
	fs.IntVar(&o.particles, "particles", 200, "particles per generation")
	fs.IntVar(&o.generations, "generations", 6, "generations of ABC-SMC, the first drawn from the prior")
	fs.Float64Var(&o.quantile, "quantile", 0.5, "quantile of a generation's distances that becomes the next tolerance")
	fs.IntVar(&o.replications, "replications", 5, "replicates averaged per particle")
	fs.StringVar(&o.seeds, "seeds", fitSeedsFresh, "replicate seeds of each particle: fresh (its own, derived from the seed) or common (the same for every particle)")
	fs.Uint64Var(&o.seed, "seed", 0, "seed of the replicates and of the fit (default: the scenario's)")
	fs.StringVarP(&o.out, "out", "o", "", "output folder (default out/NAME-fit)")
	fs.BoolVar(&o.force, "force", false, "replace an existing fit folder (only one that holds a fit.json and nothing triad did not write)")
	fs.StringVar(&o.resume, "resume", "", "continue the unfinished fit in this folder, from its last finished generation (give no other argument)")
	o.execFlags.addFlags(fs)
}

// Limits of triad fit that hold even with --allow-large: the particles
// of a generation and the generations are held in memory, and a
// generation draws at most fitProposals proposals per particle.
const (
	maxFitParticles   = 100_000
	maxFitGenerations = 1_000
	fitProposals      = 200
)

// fitParam is one parameter to fit: its paths (set to the same value),
// its label and prior range.
type fitParam struct {
	label    string
	paths    []string
	lo, hi   float64
	original float64
}

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
			if f.Name != "resume" && f.Name != "workers" && f.Name != "quiet" {
				other = append(other, "--"+f.Name)
			}
		})
		if fs.NArg() != 0 || len(other) > 0 {
			return usagef("fit", "--resume OUT takes no scenario and no flag but --workers and --quiet (got %s): the fit goes on with the settings it started with",
				strings.Join(append(other, fs.Args()...), " "))
		}
		st, err := readFitState(o.resume)
		if err != nil {
			return err
		}
		return fitWith(e, st.Command[1:], &st, o.resume, func(r *fitOptions) {
			if fs.Changed("workers") {
				r.workers = o.workers
			}
			if fs.Changed("quiet") {
				r.quiet = o.quiet
			}
		})
	}
	return fitWith(e, args, nil, "", nil)
}

// fitWith runs the fit of command line args (those after "fit"); with st,
// it continues the unfinished fit in folder dir from st's checkpoint,
// after checking that its scenario and targets are those it started with,
// with the options that adjust sets (those that never change the numbers).
func fitWith(e *env, args []string, st *fitState, dir string, adjust func(*fitOptions)) error {
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
	case o.seeds != fitSeedsFresh && o.seeds != fitSeedsCommon:
		return usagef("fit", "--seeds must be %s or %s, got %q", fitSeedsFresh, fitSeedsCommon, o.seeds)
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
	// and up to fitProposals times as many.
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
	command := append([]string{"fit"}, args...)
	date := fitClock().UTC().Format("2006-01-02")
	var from *calibrate.Checkpoint
	if st != nil {
		switch {
		case sha256Hex(src) != st.ScenarioSHA256:
			return &inputError{fmt.Errorf("the scenario %s changed since the fit in %s started: start the fit again with --force", fs.Arg(0), dir)}
		case sha256Hex(tsrc) != st.TargetsSHA256:
			return &inputError{fmt.Errorf("the targets %s changed since the fit in %s started: start the fit again with --force", o.targets, dir)}
		}
		c := st.checkpoint()
		from, date = &c, st.Date
		if !o.quiet {
			fmt.Fprintf(e.stderr, "continuing the fit in %s after generation %d of %d\n", dir, len(c.Generations), o.generations)
		}
	} else {
		if err := runs.PrepareFit(o.out, homeDir(), o.force); err != nil {
			return err
		}
		if o.force {
			noteKept(e, o.out, o.quiet)
		}
	}
	prob := fitProblem(cfg, params, tg.Targets, o.seeds == fitSeedsFresh)
	settings := calibrate.Settings{Particles: o.particles, Generations: o.generations, Quantile: o.quantile, Seed: cfg.Seed, Workers: o.workers,
		MaxProposals: fitProposalCap(o.particles)}
	start := time.Now()
	res, err := calibrate.FitFrom(e.ctx, prob, settings, from, func(c calibrate.Checkpoint) error {
		g, gen := len(c.Generations)-1, c.Generations[len(c.Generations)-1]
		if g+1 < o.generations {
			if err := writeFitState(o.out, newFitState(command, date, src, tsrc, c)); err != nil {
				return err
			}
		}
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
		return nil
	})
	if err != nil && e.ctx.Err() != nil {
		if runs.IsFile(filepath.Join(o.out, runs.FitStateName)) {
			return &interruptedError{fmt.Sprintf("interrupted while fitting: the generations done are kept in %s; continue with triad fit --resume %s", o.out, o.out)}
		}
		return &interruptedError{"interrupted while fitting, before its first generation was done: run the command again"}
	}
	if err != nil {
		return fmt.Errorf("fit %s: %w", cfg.Name, err)
	}
	f := fitReport{
		scenario: name, cfg: cfg, src: src, targetsFile: o.targets, targetsSrc: tsrc, params: params, targets: tg.Targets,
		res: res, settings: settings, replications: o.replications, seeds: o.seeds, date: date,
	}
	f.densest = res.Densest()
	if err := f.write(o.out, command); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(o.out, runs.FitStateName)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if o.quiet {
		return nil
	}
	return f.print(e.stdout, o.out)
}

// fitProposalCap is the most proposals one generation of a fit may make
// (calibrate.Settings.MaxProposals): 200 per particle.
func fitProposalCap(particles int) int { return fitProposals * particles }

// proposalWarning returns the warning, quiet or not, for generation g (from
// 0) of a fit of the given generations and particles that needed the given
// proposals, or "": a generation that needed half of the proposals a
// generation may make warns when another follows, since the next one, with
// a tighter tolerance, may not fill its population within the cap (and a
// fit that fails so keeps nothing).
func proposalWarning(g, generations, proposals, particles int) string {
	limit := fitProposalCap(particles)
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

// fitParams reads the parameters to fit from the --param flags, or else
// from the targets file.
func fitParams(cfg *sim.Config, flags []string, file []scenarios.FitParam) ([]fitParam, error) {
	var ps []fitParam
	if len(flags) > 0 {
		for _, a := range flags {
			path, l, h, err := parseParamRange("fit", a)
			if err != nil {
				return nil, err
			}
			fp := scenarios.FitParam{Path: path, Low: &l, High: &h}
			ps = append(ps, fitParam{label: strings.Join(fp.Paths(), ","), paths: fp.Paths(), lo: l, hi: h})
		}
	} else {
		for _, fp := range file {
			ps = append(ps, fitParam{label: strings.Join(fp.Paths(), ","), paths: fp.Paths(), lo: *fp.Low, hi: *fp.High})
		}
	}
	if len(ps) == 0 {
		return nil, usagef("fit", "no parameters to fit: give --param PATH=LOW:HIGH or a params list in the targets file")
	}
	for i, p := range ps {
		for _, path := range p.paths {
			v, err := cfg.ParamValue(path)
			if err != nil {
				return nil, &inputError{fmt.Errorf("parameter %s: %w", p.label, err)}
			}
			if whole, _ := cfg.ParamIsWhole(path); whole {
				return nil, &inputError{fmt.Errorf("parameter %s takes whole numbers: fit takes continuous parameters only", path)}
			}
			c := cfg.AtPoint(sim.Point{})
			for _, end := range []float64{p.lo, p.hi} {
				if err := c.Set(path, strconv.FormatFloat(end, 'g', -1, 64)); err != nil {
					return nil, &inputError{fmt.Errorf("parameter %s: the prior range: %w", p.label, err)}
				}
			}
			ps[i].original = v
		}
	}
	return ps, nil
}

// fitProblem is the calibration problem: the parameters' priors, the
// targets and a simulator that sets a particle's values in a copy of cfg
// and averages its figures over cfg.Replicates runs: on seeds of the
// proposal's own when fresh (the scenario seed drawn from the proposal's
// stream, itself derived from the fit's seed, generation and proposal), or
// on the replicate seeds that every particle shares (common random
// numbers).
func fitProblem(cfg sim.Config, params []fitParam, targets []scenarios.Target, fresh bool) calibrate.Problem {
	p := calibrate.Problem{Noise: true}
	for _, q := range params {
		p.Params = append(p.Params, calibrate.Param{Name: q.label, Lo: q.lo, Hi: q.hi})
	}
	for _, t := range targets {
		p.Observed = append(p.Observed, *t.Value)
		p.Scale = append(p.Scale, *t.Uncertainty)
	}
	tasks := make([]sim.Task, cfg.Replicates)
	for r := range tasks {
		tasks[r] = sim.Task{Replicate: r}
	}
	p.Simulate = func(ctx context.Context, theta []float64, rng *rand.Rand) ([]float64, error) {
		c := cfg.AtPoint(sim.Point{})
		if fresh {
			c.Seed = rng.Uint64()
		}
		for j, q := range params {
			for _, path := range q.paths {
				if err := c.Set(path, strconv.FormatFloat(theta[j], 'g', -1, 64)); err != nil {
					return nil, err
				}
			}
		}
		figs := make([]float64, len(targets))
		if c.Validate() != nil {
			// The scenario's rules refuse this point: no figures.
			for i := range figs {
				figs[i] = math.NaN()
			}
			return figs, nil
		}
		runs, err := sim.RunTasks(ctx, c, tasks, sim.Options{Workers: 1})
		if err != nil {
			return nil, err
		}
		return targetFigures(runs, c.RegionIDs(), targets), nil
	}
	return p
}

// targetFigures is each target's figure averaged over the runs (runs where
// it does not exist, NaN, left out; NaN when it exists in none).
func targetFigures(runs []*sim.RunResult, regions []string, targets []scenarios.Target) []float64 {
	sums := make([]float64, len(targets))
	ns := make([]int, len(targets))
	for _, r := range runs {
		ms := r.Metrics(regions)
		for i, t := range targets {
			v, found := 0.0, false
			rs := t.RegionList()
			for _, m := range ms {
				if m.Name != t.Metric {
					continue
				}
				if (len(rs) == 0 && m.Region == "") || (m.Region != "" && slices.Contains(rs, m.Region)) {
					v += m.Value
					found = true
				}
			}
			if found && !math.IsNaN(v) {
				sums[i] += v
				ns[i]++
			}
		}
	}
	out := make([]float64, len(targets))
	for i := range out {
		out[i] = math.NaN()
		if ns[i] > 0 {
			out[i] = sums[i] / float64(ns[i])
		}
	}
	return out
}

// fitReport is a finished fit with what is needed to write it.
type fitReport struct {
	scenario     string
	cfg          sim.Config
	src          []byte
	targetsFile  string
	targetsSrc   []byte
	params       []fitParam
	targets      []scenarios.Target
	res          *calibrate.Result
	settings     calibrate.Settings
	replications int
	seeds        string
	date         string
	densest      int // the particle of the last generation where the posterior is densest
}

// fitted is the value parameter j takes in the fitted scenario: its value
// in the particle where the posterior is densest, to three significant
// digits. The posterior mean would do on a round posterior; on a ridge
// (parameters that trade off) it can lie where no particle was accepted.
func (f *fitReport) fitted(j int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f.res.Particles[f.densest].Theta[j], 'g', 3, 64), 64)
	return v
}

// identifiability is the posterior sd of parameter j over its prior's.
func (f *fitReport) identifiability(j int) float64 {
	p := f.params[j]
	return f.res.Params[j].SD / ((p.hi - p.lo) / math.Sqrt(12))
}

func ff(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func (f *fitReport) method() string {
	seeds := "common seeds"
	if f.seeds == fitSeedsFresh {
		seeds = "seeds of its own"
	}
	return fmt.Sprintf("ABC-SMC, %d particles, %d generations, tolerance quantile %g, %d replicates per particle on %s, seed %d",
		f.settings.Particles, f.settings.Generations, f.settings.Quantile, f.replications, seeds, f.settings.Seed)
}

func (f *fitReport) write(dir string, args []string) error {
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"fit.csv", f.writeFitCSV},
		{"targets.csv", f.writeTargetsCSV},
		{"posterior.csv", f.writePosteriorCSV},
		{"generations.csv", f.writeGenerationsCSV},
		{"scenario.yaml", f.writeScenario},
	}
	hashes := map[string]string{}
	for _, file := range files {
		path := filepath.Join(dir, file.name)
		if err := runs.WriteFileAtomic(path, file.write); err != nil {
			return err
		}
		h, err := runs.HashFile(path)
		if err != nil {
			return err
		}
		hashes[file.name] = h
	}
	if err := os.MkdirAll(filepath.Join(dir, runs.PlotsDir), 0o755); err != nil {
		return err
	}
	for j := range f.params {
		for _, ext := range []string{"png", "svg"} {
			rel := filepath.Join(runs.PlotsDir, runs.FitChartName(j+1)+"."+ext)
			path := filepath.Join(dir, rel)
			if err := runs.WriteFileAtomic(path, func(w io.Writer) error {
				p, err := chart.PosteriorChart(f.posterior(j))
				if err != nil {
					return err
				}
				return chart.WritePlot(w, ext, p, chart.ChartWidth, chart.ChartHeight)
			}); err != nil {
				return err
			}
			h, err := runs.HashFile(path)
			if err != nil {
				return err
			}
			hashes[filepath.ToSlash(rel)] = h
		}
	}
	// fit.json last: it marks a complete fit, and lists the other files.
	return runs.WriteFileAtomic(filepath.Join(dir, "fit.json"), func(w io.Writer) error { return f.writeJSON(w, args, hashes) })
}

func writeCSV(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

func (f *fitReport) writeFitCSV(w io.Writer) error {
	rows := [][]string{{"parameter", "prior_low", "prior_high", "original", "mean", "sd", "ci_low", "ci_high", "sd_over_prior_sd", "fitted"}}
	for j, p := range f.params {
		s := f.res.Params[j]
		rows = append(rows, []string{p.label, ff(p.lo), ff(p.hi), ff(p.original), ff(s.Mean), ff(s.SD), ff(s.Lo), ff(s.Hi), ff(f.identifiability(j)), ff(f.fitted(j))})
	}
	return writeCSV(w, rows)
}

// z is how many uncertainties the fitted mean lies from the observed value.
func (f *fitReport) z(i int) float64 {
	return (f.res.Figures[i].Mean - *f.targets[i].Value) / *f.targets[i].Uncertainty
}

func (f *fitReport) writeTargetsCSV(w io.Writer) error {
	rows := [][]string{{"target", "metric", "region", "observed", "uncertainty", "fitted_mean", "fitted_sd", "ci_low", "ci_high", "z", "source"}}
	for i, t := range f.targets {
		s := f.res.Figures[i]
		rows = append(rows, []string{t.Name(), t.Metric, strings.Join(t.RegionList(), "+"), ff(*t.Value), ff(*t.Uncertainty), ff(s.Mean), ff(s.SD), ff(s.Lo), ff(s.Hi), ff(f.z(i)), t.Source})
	}
	return writeCSV(w, rows)
}

func (f *fitReport) writePosteriorCSV(w io.Writer) error {
	head := []string{"particle", "weight", "distance"}
	for _, p := range f.params {
		head = append(head, p.label)
	}
	for _, t := range f.targets {
		head = append(head, t.Name())
	}
	rows := [][]string{head}
	for i, q := range f.res.Particles {
		row := []string{strconv.Itoa(i), ff(q.Weight), ff(q.Distance)}
		for _, v := range q.Theta {
			row = append(row, ff(v))
		}
		for _, v := range q.Figures {
			row = append(row, ff(v))
		}
		rows = append(rows, row)
	}
	return writeCSV(w, rows)
}

func (f *fitReport) writeGenerationsCSV(w io.Writer) error {
	rows := [][]string{{"generation", "tolerance", "proposals", "simulated", "accepted", "ess"}}
	for g, gen := range f.res.Generations {
		rows = append(rows, []string{strconv.Itoa(g + 1), ff(gen.Tolerance), strconv.Itoa(gen.Proposals), strconv.Itoa(gen.Simulated), strconv.Itoa(gen.Accepted), ff(gen.ESS)})
	}
	return writeCSV(w, rows)
}

// jsonNum is a number that JSON can hold: null for NaN and ±Inf.
func jsonNum(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func (f *fitReport) writeJSON(w io.Writer, args []string, hashes map[string]string) error {
	type param struct {
		Parameter string    `json:"parameter"`
		Paths     []string  `json:"paths"`
		PriorLow  float64   `json:"prior_low"`
		PriorHigh float64   `json:"prior_high"`
		Original  float64   `json:"original"`
		Mean      *float64  `json:"mean"`
		SD        *float64  `json:"sd"`
		CI        []float64 `json:"ci95"`
		// SDRatio is the posterior sd over the prior's: near 1 the
		// targets say little about the parameter.
		SDRatio *float64 `json:"sd_over_prior_sd"`
		Fitted  float64  `json:"fitted"`
	}
	type target struct {
		Target      string    `json:"target"`
		Observed    float64   `json:"observed"`
		Uncertainty float64   `json:"uncertainty"`
		Mean        *float64  `json:"fitted_mean"`
		CI          []float64 `json:"fitted_ci95"`
		Z           *float64  `json:"z"`
		Source      string    `json:"source"`
	}
	type generation struct {
		Tolerance *float64 `json:"tolerance"`
		Proposals int      `json:"proposals"`
		Simulated int      `json:"simulated"`
		Accepted  int      `json:"accepted"`
		ESS       float64  `json:"ess"`
	}
	v := struct {
		SchemaVersion int               `json:"schema_version"`
		Version       string            `json:"version"`
		Command       []string          `json:"command"`
		Date          string            `json:"date"`
		Scenario      string            `json:"scenario"`
		TargetsFile   string            `json:"targets_file"`
		Method        string            `json:"method"`
		Particles     int               `json:"particles"`
		Generations   int               `json:"generations"`
		Quantile      float64           `json:"quantile"`
		Replicates    int               `json:"replicates"`
		Seeds         string            `json:"seeds"`
		Seed          uint64            `json:"seed"`
		Params        []param           `json:"parameters"`
		Targets       []target          `json:"targets"`
		Schedule      []generation      `json:"generations_detail"`
		Files         map[string]string `json:"files"`
	}{
		SchemaVersion: schemaVersion, Version: version, Command: append([]string{"triad"}, args...), Date: f.date,
		Scenario: f.cfg.Name, TargetsFile: filepath.Base(f.targetsFile), Method: "ABC-SMC",
		Particles: f.settings.Particles, Generations: f.settings.Generations, Quantile: f.settings.Quantile,
		Replicates: f.replications, Seeds: f.seeds, Seed: f.settings.Seed, Files: hashes,
	}
	for j, p := range f.params {
		s := f.res.Params[j]
		v.Params = append(v.Params, param{p.label, p.paths, p.lo, p.hi, p.original, jsonNum(s.Mean), jsonNum(s.SD), []float64{s.Lo, s.Hi}, jsonNum(f.identifiability(j)), f.fitted(j)})
	}
	for i, t := range f.targets {
		s := f.res.Figures[i]
		v.Targets = append(v.Targets, target{t.Name(), *t.Value, *t.Uncertainty, jsonNum(s.Mean), []float64{s.Lo, s.Hi}, jsonNum(f.z(i)), t.Source})
	}
	for _, g := range f.res.Generations {
		v.Schedule = append(v.Schedule, generation{jsonNum(g.Tolerance), g.Proposals, g.Simulated, g.Accepted, g.ESS})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeScenario writes the fitted scenario: the original file with the
// fitted values set, a header citing the targets and the fit, and a
// comment on every fitted value with its posterior.
func (f *fitReport) writeScenario(w io.Writer) error {
	h := []string{
		fmt.Sprintf("%s-fitted: %s with %d parameter(s) fitted by triad fit on %s.", f.cfg.Name, f.cfg.Name, len(f.params), f.date),
		"",
		"Method: " + f.method() + ".",
		fmt.Sprintf("Targets (%s), each observed value ± its uncertainty (sd), then the fitted model's mean [95 %% interval]:", filepath.Base(f.targetsFile)),
	}
	for i, t := range f.targets {
		s := f.res.Figures[i]
		h = append(h, fmt.Sprintf("- %s = %s ± %s; model %.3g [%.3g, %.3g], z %+.2f. Source: %s",
			t.Name(), ff(*t.Value), ff(*t.Uncertainty), s.Mean, s.Lo, s.Hi, f.z(i), strings.Join(strings.Fields(t.Source), " ")))
	}
	h = append(h, "Fitted parameters, prior range, then posterior mean ± sd [95 % interval], how much the targets identify it (posterior sd over prior sd:",
		"near 1 they say little), and the value the file takes: the accepted particle where the posterior is densest, to 3 digits:")
	for j, p := range f.params {
		s := f.res.Params[j]
		h = append(h, fmt.Sprintf("- %s in [%s, %s]: %.3g ± %.2g [%.3g, %.3g], sd ratio %.2f; file %s (was %s)",
			p.label, ff(p.lo), ff(p.hi), s.Mean, s.SD, s.Lo, s.Hi, f.identifiability(j), ff(f.fitted(j)), ff(p.original)))
	}
	h = append(h, "Everything else, and every comment below but those marked fitted, is the original's.")
	var edits []scenarios.Edit
	for j, p := range f.params {
		s := f.res.Params[j]
		for _, path := range p.paths {
			edits = append(edits, scenarios.Edit{Path: path, Value: f.fitted(j),
				Comment: fmt.Sprintf("fitted: densest posterior point; mean %.3g, sd %.2g (%.2f of the prior's), 95 %% interval [%.3g, %.3g], prior [%s, %s] (triad fit, %s)",
					s.Mean, s.SD, f.identifiability(j), s.Lo, s.Hi, ff(p.lo), ff(p.hi), f.date)})
		}
	}
	desc := fmt.Sprintf("%s with %d parameter(s) fitted by ABC-SMC to %d observed figures; the header names them, with the figures' sources.", f.cfg.Name, len(f.params), len(f.targets))
	out, err := scenarios.Rewrite(f.scenario, f.src, h, f.cfg.Name+"-fitted", desc, edits)
	if err != nil {
		return fmt.Errorf("the fitted scenario: %w", err)
	}
	_, err = w.Write(out)
	return err
}

// posterior is parameter j's last generation, for its chart.
func (f *fitReport) posterior(j int) chart.Posterior {
	s := f.res.Params[j]
	post := chart.Posterior{Label: f.params[j].label, Lo: f.params[j].lo, Hi: f.params[j].hi, Mean: s.Mean, CILo: s.Lo, CIHi: s.Hi}
	for _, q := range f.res.Particles {
		post.Values = append(post.Values, q.Theta[j])
		post.Weights = append(post.Weights, q.Weight)
	}
	return post
}

func (f *fitReport) print(w io.Writer, dir string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprintf(tw, "parameter\tprior\twas\tposterior\t95 %% interval\tsd/prior\tfitted\n")
	for j, p := range f.params {
		s := f.res.Params[j]
		fmt.Fprintf(tw, "%s\t[%s, %s]\t%s\t%.3g ± %.2g\t[%.3g, %.3g]\t%.2f\t%s\n", shortLabel(p.paths), ff(p.lo), ff(p.hi), ff(p.original),
			s.Mean, s.SD, s.Lo, s.Hi, f.identifiability(j), ff(f.fitted(j)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "target\tobserved\tfitted mean\t95 %% interval\tz\n")
	for i, t := range f.targets {
		s := f.res.Figures[i]
		fmt.Fprintf(tw, "%s\t%s ± %s\t%.3g\t[%.3g, %.3g]\t%+.2f\n", t.Name(), ff(*t.Value), ff(*t.Uncertainty), s.Mean, s.Lo, s.Hi, f.z(i))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nposterior: mean ± sd; sd/prior: its sd over the prior's (near 1: the targets say little);\n"+
		"fitted: the value the fitted scenario takes, where the posterior is densest.\n"+
		"Written to %s:\n"+
		"fit.csv, fit.json, targets.csv, posterior.csv, generations.csv,\n"+
		"scenario.yaml (the fitted scenario), plots/posterior-N.png\n", dir)
	return err
}

// shortLabel names a parameter of one or more paths in a terminal table:
// the path, or the first path and how many more share its value.
func shortLabel(paths []string) string {
	if len(paths) == 1 {
		return paths[0]
	}
	return fmt.Sprintf("%s (+%d)", paths[0], len(paths)-1)
}
