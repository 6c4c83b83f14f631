package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// runOptions are the flags of `triad run`.
type runOptions struct {
	out     string
	sweeps  []string
	force   bool
	noPlots bool
	resume  string
	shard   string
	asJSON  bool
	experimentFlags
	execFlags
}

// experimentFlags are the flags that change the experiment a scenario
// runs; run, compare and check take them alike.
type experimentFlags struct {
	seed         uint64
	replications int
	steps        int
	sets         []string
	policies     []string
}

// experimentFlagNames are the names of the experiment flags.
var experimentFlagNames = []string{"seed", "replications", "steps", "set", "policy"}

// addFlags adds the experiment flags; whose says whose seed and replicates
// are the default ("the scenario's").
func (x *experimentFlags) addFlags(fs *pflag.FlagSet, whose string) {
	fs.Uint64Var(&x.seed, "seed", 0, "random seed (default: "+whose+")")
	fs.IntVar(&x.replications, "replications", 0, "replicates per sweep point (default: "+whose+")")
	fs.IntVar(&x.steps, "steps", 0, "steps per run (default: the scenario's)")
	fs.StringArrayVar(&x.sets, "set", nil, "set a parameter, PATH=VALUE (repeatable), e.g. regions.gba.p=0.002")
	fs.StringArrayVar(&x.policies, "policy", nil, "add a timed policy, 'at=STEP[,name=TEXT],PATH=VALUE,...' (repeatable)")
}

func (o *runOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVarP(&o.out, "out", "o", "", "output folder (default out/NAME)")
	o.experimentFlags.addFlags(fs, "the scenario's")
	fs.StringArrayVar(&o.sweeps, "sweep", nil, "sweep a parameter, PATH=V1,V2,... or PATH=FROM:TO:STEP (repeatable; replaces the scenario's sweep)")
	fs.BoolVar(&o.force, "force", false, "replace an existing output folder")
	fs.BoolVar(&o.noPlots, "no-plots", false, "write the tables and the report but no charts (faster, for benchmarks and large sweeps)")
	fs.StringVar(&o.resume, "resume", "", "finish the stopped run in this output folder")
	fs.StringVar(&o.shard, "shard", "", "run only shard I of N (I/N, or auto/N to take I from the batch engine) into OUT/shard-IIII-of-NNNN")
	fs.BoolVar(&o.asJSON, "json", false, "print the final summary as JSON (see docs/CLI.md)")
	o.execFlags.addFlags(fs)
}

func runRun(e *env, args []string) error {
	var o runOptions
	fs := newFlags(e, "run")
	o.addFlags(fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := o.check("run"); err != nil {
		return err
	}
	if o.asJSON && o.shard != "" {
		return usagef("run", "--json summarizes a whole run: merge the shards first")
	}
	if o.resume != "" {
		for _, f := range []string{"out", "seed", "replications", "steps", "set", "sweep", "policy", "force", "shard", "no-plots"} {
			if fs.Changed(f) {
				return usagef("run", "--resume continues a run as it was started; it cannot take --%s", f)
			}
		}
		if fs.NArg() != 0 {
			return usagef("run", "--resume takes the output folder, not a scenario")
		}
		return resumeRun(e, o)
	}
	if fs.NArg() != 1 {
		return usagef("run", "run takes one scenario (a file or a built-in name), got %d", fs.NArg())
	}
	name, src, cfg, err := loadScenario(fs.Arg(0), o.large)
	if err != nil {
		return err
	}
	if err := o.apply(fs, &cfg); err != nil {
		return err
	}
	if err := o.checkMemory(&cfg, scenarios.Runs(&cfg), cfg.Replicates); err != nil {
		return err
	}
	if o.out == "" {
		o.out = filepath.Join("out", cfg.Name)
	}
	if o.shard != "" {
		return runShard(e, o, src, cfg, args)
	}
	man := newManifest(e, cfg, src)
	man.NoPlots = o.noPlots
	lk, err := runs.Start(o.out, man, o.force, homeDir(), holderFor(lockCommand("run", args)))
	if err != nil {
		return err
	}
	defer lk.Unlock()
	if o.force {
		noteKept(e, o.out, o.quiet)
	}
	return execute(e, o.out, name, man, o)
}

// newManifest starts the manifest of a run of cfg, read from src, by the
// command line e.args.
func newManifest(e *env, cfg sim.Config, src []byte) runs.Manifest {
	sum := sha256.Sum256(src)
	return runs.Manifest{
		Program:            e.program(),
		Scenario:           cfg,
		ScenarioFileSHA256: hex.EncodeToString(sum[:]),
		ConfigSHA256:       output.ConfigHash(cfg),
		Seed:               cfg.Seed,
		Replicates:         cfg.Replicates,
	}
}

// resumeRun finishes a stopped run from its output folder. Every run file
// there is checked first; in a finished folder, runs whose files were
// removed are made again and the outputs assembled again, as are outputs
// whose files were removed, so that "remove it and resume" mends a folder.
func resumeRun(e *env, o runOptions) error {
	if st, err := os.Stat(o.resume); err != nil || !st.IsDir() {
		return &inputError{fmt.Errorf("%s is not a folder: give --resume the output folder of a stopped run", o.resume)}
	}
	lk, err := lockFolder(o.resume, "run --resume "+o.resume)
	if err != nil {
		return err
	}
	defer lk.Unlock()
	man, err := runs.ReadManifest(o.resume)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s holds no %s: it is %w", o.resume, runs.ManifestName, runs.ErrNotOurFolder)
	}
	if err != nil {
		return err
	}
	c, err := runs.CheckRuns(e.ctx, o.resume, man)
	if err != nil {
		return err
	}
	if man.Complete {
		gone := missingOutputs(o.resume, man)
		if c.Lacking == 0 && len(gone) == 0 {
			if !o.quiet && !o.asJSON {
				fmt.Fprintf(e.stdout, "%s is already complete; nothing to do\n", o.resume)
			}
			return nil
		}
		if man.Version != version {
			return &inputError{fmt.Errorf("%s lacks files and was made by triad %s; this is triad %s, whose numbers may differ: run the scenario again into a new folder", o.resume, man.Version, version)}
		}
		what := fmt.Sprintf("%d run file(s)", c.Lacking)
		if c.Lacking == 0 {
			what = strings.Join(gone, ", ")
		}
		fmt.Fprintf(e.stderr, "triad: %s lacks %s: making them again\n", o.resume, what)
		// Until the outputs are whole again the folder is a stopped run.
		man.Complete = false
		if err := runs.SaveManifest(o.resume, man); err != nil {
			return err
		}
	}
	if man.Version != version {
		return &inputError{fmt.Errorf("%s was started by triad %s; this is triad %s, whose numbers may differ: start it again", o.resume, man.Version, version)}
	}
	if err := scenarios.CheckCaps(&man.Scenario, caps(o.large)); err != nil {
		return &inputError{fmt.Errorf("%s: the scenario in the manifest:\n%w", o.resume, err)}
	}
	man.Platform = platform()
	if err := o.checkMemory(&man.Scenario, scenarios.Runs(&man.Scenario), man.Scenario.Replicates); err != nil {
		return err
	}
	return execute(e, o.resume, man.Scenario.Name, man, o)
}

// missingOutputs lists the files that the finished folder dir's manifest
// man lists and that are not there, in the order of their names.
func missingOutputs(dir string, man runs.Manifest) []string {
	var gone []string
	for _, rel := range slices.Sorted(maps.Keys(man.Files)) {
		if !runs.IsFile(filepath.Join(dir, filepath.FromSlash(rel))) {
			gone = append(gone, rel)
		}
	}
	return gone
}

// execute runs what is missing in dir, then assembles the outputs (or
// marks the shard complete).
func execute(e *env, dir, name string, man runs.Manifest, o runOptions) error {
	cfg := man.Scenario
	t := clock()
	var prog *progress
	progress := runs.Progress{
		Begin: func(total, saved int) { prog = newProgress(e, total, saved, o.quiet) },
		Saved: func(run *sim.RunResult) {
			prog.done()
			if e.runDone != nil {
				e.runDone(run)
			}
		},
	}
	man.Workers = o.workers
	var a *runs.Assembled
	var err error
	if man.Shard != nil {
		err = runs.RunMissing(e.ctx, dir, man, o.workers, progress)
	} else { // the outputs are assembled as the runs are saved
		a, man, err = runs.RunAndFinish(e.ctx, dir, man, o.workers, progress, t)
	}
	if prog != nil {
		prog.finish()
	}
	if se, ok := errors.AsType[*runs.StoppedError](err); ok {
		switch {
		case se.Save != nil:
			return fmt.Errorf("save runs: %w\n%d of %d runs are kept in %s; %sfinish them with\n  triad run --resume %s", se.Save, se.Saved, se.Total, dir, freeSpace(se.Save), dir)
		case e.ctx.Err() != nil:
			return &interruptedError{fmt.Sprintf("interrupted: %d of %d runs are kept in %s; finish them with\n  triad run --resume %s", se.Saved, se.Total, dir, dir)}
		}
		return fmt.Errorf("stopped: %d of %d runs are kept in %s; finish them with\n  triad run --resume %s\n%w", se.Saved, se.Total, dir, dir, se.Err)
	}
	if ae, ok := errors.AsType[*runs.AssembleError](err); ok {
		if e.ctx.Err() != nil {
			return &interruptedError{fmt.Sprintf("interrupted: every run is kept in %s; finish with\n  triad run --resume %s", dir, dir)}
		}
		if hint := freeSpace(ae.Err); hint != "" {
			return fmt.Errorf("assemble results: %w\nevery run is kept in %s; %sfinish with\n  triad run --resume %s", ae.Err, dir, hint, dir)
		}
		return fmt.Errorf("assemble results: %w", ae.Err)
	}
	if err != nil {
		return err
	}
	if man.Shard != nil {
		return finishShard(e, dir, man, o, t)
	}
	switch {
	case o.asJSON:
		return writeJSON(e.stdout, runSummary(dir, &cfg, a, man.WallSeconds))
	case o.quiet:
		return nil
	}
	return report(e, dir, cfg.Name, &cfg, a, man.WallSeconds)
}

// finishShard marks a shard whose runs are all saved as complete (see
// runs.FinishShard) and says what to do next.
func finishShard(e *env, dir string, man runs.Manifest, o runOptions, t runs.Timing) error {
	man, err := runs.FinishShard(dir, man, t)
	if err != nil || o.quiet {
		return err
	}
	cfg, sh := man.Scenario, man.Shard
	fmt.Fprintf(e.stdout, "%s: shard %d of %d: %d of %d runs of %d steps in %.1fs, written to %s%c\n",
		cfg.Name, sh.Index, sh.Count, len(runs.ShardTasks(cfg.Tasks(), sh)), len(cfg.Tasks()), cfg.Steps, man.WallSeconds, dir, filepath.Separator)
	fmt.Fprintf(e.stdout, "when every shard is done, assemble the tables and plots with\n  triad merge %s\n", filepath.Dir(dir))
	return nil
}

// report prints where the files are and the headline figures.
func report(e *env, dir, name string, cfg *sim.Config, a *runs.Assembled, wall float64) error {
	fmt.Fprintf(e.stdout, "%s: %d runs of %d steps in %.1fs, written to %s%c\n\n", name, len(cfg.Tasks()), cfg.Steps, wall, dir, filepath.Separator)
	if a.Single != nil {
		if err := output.Headline(e.stdout, a.Single, a.Summary); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "\nTables: %s, %s\nPlots:  %s\nReport: %s\n",
			filepath.Join(dir, "timeseries.csv"), filepath.Join(dir, "summary.csv"), filepath.Join(dir, "plots", "adoption.png"), filepath.Join(dir, runs.ReportName))
		return nil
	}
	fmt.Fprintf(e.stdout, "sweep of %s: %d points × %d replicates\n", strings.Join(cfg.SweepPaths(), ", "), len(a.Points), cfg.Replicates)
	if cfg.Sweep.FiguresOnly() {
		fmt.Fprintf(e.stdout, "\nTables: %s, %s, %s\nPlots:  %s\nReport: %s\n",
			filepath.Join(dir, "points.csv"), filepath.Join(dir, runs.FiguresName), filepath.Join(dir, runs.SensitivityCSVName), filepath.Join(dir, "plots", "sensitivity-*.png"), filepath.Join(dir, runs.ReportName))
		return nil
	}
	fmt.Fprintf(e.stdout, "\nTables: %s, %s, %s\nPlots:  %s\nReport: %s\n",
		filepath.Join(dir, "points.csv"), filepath.Join(dir, "summary.csv"), filepath.Join(dir, "timeseries.csv"), filepath.Join(dir, "plots", "sweep-*.png"), filepath.Join(dir, runs.ReportName))
	return nil
}

// apply makes the flags that were given override the scenario.
func (o *runOptions) apply(fs *pflag.FlagSet, cfg *sim.Config) error {
	var sw *sim.Sweep
	if len(o.sweeps) > 0 {
		var err error
		if sw, err = parseSweeps(o.sweeps); err != nil {
			return err
		}
	}
	return o.experimentFlags.apply(fs, cfg, sw, o.large)
}

// apply makes the experiment flags that were given override the scenario,
// replaces its sweep with sw unless sw is nil, and checks the result: it
// must be valid and within the caps (unless large).
func (x *experimentFlags) apply(fs *pflag.FlagSet, cfg *sim.Config, sw *sim.Sweep, large bool) error {
	if fs.Changed("seed") {
		cfg.Seed = x.seed
	}
	if fs.Changed("replications") {
		cfg.Replicates = x.replications
	}
	if fs.Changed("steps") {
		cfg.Steps = x.steps
	}
	if err := scenarios.Set(cfg, x.sets); err != nil {
		return &inputError{err}
	}
	if sw != nil {
		cfg.Sweep = sw
	}
	for k, p := range x.policies {
		pol, err := parsePolicy(p, k)
		if err != nil {
			return err
		}
		cfg.Policies = append(cfg.Policies, pol)
	}
	if err := scenarios.CheckSweepSize(cfg, caps(large)); err != nil {
		return &inputError{fmt.Errorf("after the command-line overrides:\n%w", err)}
	}
	if err := cfg.Validate(); err != nil {
		return &inputError{fmt.Errorf("after the command-line overrides:\n%w", err)}
	}
	if err := scenarios.CheckCaps(cfg, caps(large)); err != nil {
		return &inputError{fmt.Errorf("after the command-line overrides:\n%w", err)}
	}
	return nil
}

// parseSweeps reads --sweep PATH=V1,V2,... and --sweep PATH=FROM:TO:STEP
// into a grid sweep.
func parseSweeps(args []string) (*sim.Sweep, error) {
	sw := &sim.Sweep{Design: sim.DesignGrid}
	for _, a := range args {
		path, list, ok := strings.Cut(a, "=")
		if !ok || path == "" || list == "" {
			return nil, &inputError{fmt.Errorf("--sweep %s: want PATH=V1,V2,... or PATH=FROM:TO:STEP", a)}
		}
		p := sim.SweepParam{Path: strings.TrimSpace(path)}
		if parts := strings.Split(list, ":"); len(parts) == 3 {
			var vs [3]float64
			for i, s := range parts {
				v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
				if err != nil {
					return nil, &inputError{fmt.Errorf("--sweep %s: %q is not a number", a, s)}
				}
				vs[i] = v
			}
			p.From, p.To, p.Step = &vs[0], &vs[1], &vs[2]
		} else {
			for _, s := range strings.Split(list, ",") {
				v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
				if err != nil {
					return nil, &inputError{fmt.Errorf("--sweep %s: %q is not a number", a, s)}
				}
				p.Values = append(p.Values, v)
			}
		}
		sw.Params = append(sw.Params, p)
	}
	return sw, nil
}

// parsePolicy reads --policy 'at=STEP[,name=TEXT],PATH=VALUE,...'. A value
// in double quotes may hold commas; inside the quotes \" is a quote and \\
// a backslash: name="customs, phase 1".
func parsePolicy(arg string, k int) (sim.Policy, error) {
	p := sim.Policy{At: -1, Name: fmt.Sprintf("policy %d (command line)", k+1), Set: map[string]float64{}}
	bad := func(format string, args ...any) (sim.Policy, error) {
		return p, &inputError{fmt.Errorf("--policy %s: %s", arg, fmt.Sprintf(format, args...))}
	}
	items, err := splitPolicy(arg)
	if err != nil {
		return bad("%v", err)
	}
	seen := map[string]string{} // the item that gave each key
	for _, it := range items {
		key, val, ok := it.key, it.val, it.eq
		if !ok || key == "" {
			return bad("want KEY=VALUE, got %q", it.raw)
		}
		if first, ok := seen[key]; ok {
			return bad("%s repeats %s; give each key once", it.raw, first)
		}
		seen[key] = it.raw
		switch key {
		case "at":
			n, err := strconv.Atoi(val)
			if err != nil {
				return bad("at=%s is not a whole number", val)
			}
			p.At = n
		case "name":
			p.Name = val
		default:
			v, err := strconv.ParseFloat(val, 64)
			if err != nil {
				return bad("%s=%s: %q is not a number", key, val, val)
			}
			p.Set[key] = v
		}
	}
	if p.At < 0 {
		return bad("give the step with at=STEP")
	}
	return p, nil
}

// policyItem is one KEY=VALUE of a --policy argument, unquoted.
type policyItem struct {
	raw, key, val string
	eq            bool
}

// splitPolicy splits a --policy argument at the commas outside double
// quotes into trimmed keys and values; a quoted value is taken as it is
// between its quotes, with \" for a quote and \\ for a backslash.
func splitPolicy(arg string) ([]policyItem, error) {
	var items []policyItem
	var it policyItem
	var buf, raw strings.Builder
	quoted := false // the value was quoted: keep its spaces
	inQuote := false
	end := func() {
		it.raw = raw.String()
		if it.eq {
			it.val = buf.String()
			if !quoted {
				it.val = strings.TrimSpace(it.val)
			}
		} else {
			it.key = strings.TrimSpace(buf.String())
		}
		items = append(items, it)
		it, quoted = policyItem{}, false
		buf.Reset()
		raw.Reset()
	}
	for i := 0; i < len(arg); i++ {
		c := arg[i]
		switch {
		case inQuote && c == '\\' && i+1 < len(arg) && (arg[i+1] == '"' || arg[i+1] == '\\'):
			i++
			raw.WriteByte(c)
			raw.WriteByte(arg[i])
			buf.WriteByte(arg[i])
			continue
		case inQuote && c == '"':
			inQuote = false
		case inQuote:
			buf.WriteByte(c)
		case c == '"':
			if !it.eq || strings.TrimSpace(buf.String()) != "" || quoted {
				return nil, fmt.Errorf("a quote may only open a value, right after =: %q", raw.String()+`"`)
			}
			buf.Reset()
			inQuote, quoted = true, true
		case c == ',':
			end()
			continue
		case c == '=' && !it.eq:
			it.eq, it.key = true, strings.TrimSpace(buf.String())
			buf.Reset()
		case quoted:
			if c != ' ' {
				return nil, fmt.Errorf("text after the closing quote in %q: put a comma between changes", raw.String()+string(c))
			}
		default:
			buf.WriteByte(c)
		}
		raw.WriteByte(c)
	}
	if inQuote {
		return nil, fmt.Errorf("a quote is not closed in %q", raw.String())
	}
	end()
	return items, nil
}

// freeSpace returns advice for an error caused by a full disk, or "".
func freeSpace(err error) string {
	if errors.Is(err, syscall.ENOSPC) {
		return "free some disk space, then "
	}
	return ""
}

// progress reports finished runs on stderr once the work has taken more
// than a couple of seconds: a line that redraws itself on a terminal, a
// line per 10 % otherwise.
type progress struct {
	mu      sync.Mutex
	e       *env
	total   int
	n       int
	last    int
	start   time.Time
	silent  bool
	printed bool
}

// progressDelay is how long a run goes before progress is shown.
const progressDelay = 2 * time.Second

func newProgress(e *env, total, done int, quiet bool) *progress {
	return &progress{e: e, total: total, n: done, last: done * 10 / max(total, 1), start: time.Now(), silent: quiet || total < 2}
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	el := time.Since(p.start)
	if p.silent || el < progressDelay {
		return
	}
	eta := time.Duration(float64(el) / float64(p.n) * float64(p.total-p.n))
	line := fmt.Sprintf("runs %d/%d  elapsed %s  eta %s", p.n, p.total, el.Round(time.Second), eta.Round(time.Second))
	if p.e.stderrTTY {
		fmt.Fprintf(p.e.stderr, "\r%s %-60s", bar(p.n, p.total), line)
		p.printed = true
		return
	}
	if tenth := p.n * 10 / p.total; tenth > p.last || p.n == p.total {
		p.last = tenth
		fmt.Fprintln(p.e.stderr, line)
	}
}

// bar draws a 20-character progress bar.
func bar(n, total int) string {
	full := 20 * n / max(total, 1)
	return "[" + strings.Repeat("#", full) + strings.Repeat(".", 20-full) + "]"
}

func (p *progress) finish() {
	if p.printed {
		fmt.Fprintln(p.e.stderr)
	}
}
