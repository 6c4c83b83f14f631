package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/spf13/pflag"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"triad/output"
	"triad/sim"
)

// runOptions are the flags of `triad run`.
type runOptions struct {
	out          string
	seed         uint64
	replications int
	steps        int
	sets         []string
	workers      int
	force        bool
	quiet        bool
}

func (o *runOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVarP(&o.out, "out", "o", "", "output folder (default out/NAME)")
	fs.Uint64Var(&o.seed, "seed", 0, "random seed (default: the scenario's)")
	fs.IntVar(&o.replications, "replications", 0, "replicates per run (default: the scenario's)")
	fs.IntVar(&o.steps, "steps", 0, "steps per run (default: the scenario's)")
	fs.StringArrayVar(&o.sets, "set", nil, "set a parameter, PATH=VALUE (repeatable), e.g. regions.gba.p=0.002")
	fs.IntVarP(&o.workers, "workers", "w", runtime.GOMAXPROCS(0), "goroutines to use; never changes the numbers")
	fs.BoolVar(&o.force, "force", false, "replace an existing output folder")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "no progress on stderr")
}

func runRun(e *env, args []string) error {
	var o runOptions
	fs := newFlags(e, "run")
	o.addFlags(fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("run", "run takes one scenario (a file or a built-in name), got %d", fs.NArg())
	}
	if o.workers < 1 {
		return usagef("run", "--workers must be at least 1, got %d", o.workers)
	}
	name, src, cfg, err := loadScenario(fs.Arg(0))
	if err != nil {
		return err
	}
	if err := o.apply(fs, &cfg); err != nil {
		return err
	}
	if o.out == "" {
		o.out = filepath.Join("out", cfg.Name)
	}
	if err := checkOut(o.out, o.force); err != nil {
		return err
	}

	start := time.Now()
	prog := newProgress(e, cfg.Replicates, o.quiet)
	res, err := sim.Run(e.ctx, cfg, sim.Options{Workers: o.workers, Done: func(*sim.RunResult) { prog.done() }})
	prog.finish()
	if err != nil {
		return fmt.Errorf("run stopped: %w; nothing was written", err)
	}
	sum := sha256.Sum256(src)
	man := output.Manifest{
		Version:        version,
		GoVersion:      runtime.Version(),
		Scenario:       cfg,
		ScenarioSHA256: hex.EncodeToString(sum[:]),
		Seed:           cfg.Seed,
		Replicates:     cfg.Replicates,
		Workers:        o.workers,
		Start:          start.UTC().Truncate(time.Second),
		Complete:       true,
	}
	s := output.Summarize(res.Regions, res.Runs)
	if err := writeResults(o.out, o.force, res, s, &man, start); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d runs of %d steps in %.1fs, written to %s/\n\n", name, len(res.Runs), cfg.Steps, man.WallSeconds, o.out)
	if err := output.Headline(e.stdout, res, s); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nTables: %s, %s\nPlots:  %s\n",
		filepath.Join(o.out, "timeseries.csv"), filepath.Join(o.out, "summary.csv"), filepath.Join(o.out, "plots", "adoption.png"))
	return nil
}

// apply makes the flags that were given override the scenario.
func (o *runOptions) apply(fs *pflag.FlagSet, cfg *sim.Config) error {
	if fs.Changed("seed") {
		cfg.Seed = o.seed
	}
	if fs.Changed("replications") {
		cfg.Replicates = o.replications
	}
	if fs.Changed("steps") {
		cfg.Steps = o.steps
	}
	if err := applySets(cfg, o.sets); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return &inputError{fmt.Errorf("after the command-line overrides:\n%w", err)}
	}
	return nil
}

// checkOut refuses to replace a folder that holds files unless forced.
func checkOut(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &inputError{fmt.Errorf("output folder: %w", err)}
	}
	if len(entries) > 0 && !force {
		return &inputError{fmt.Errorf("output folder %s exists; add --force to replace it or choose another with --out", dir)}
	}
	return nil
}

// outputFile is one file of a run's output folder.
type outputFile struct {
	path  string
	write func(io.Writer) error
}

// writeResults writes every output into a temporary folder beside dir and
// renames it into place, so dir holds either the old results or all the new
// ones, never a mix.
func writeResults(dir string, force bool, res *sim.Result, s output.Summary, man *output.Manifest, start time.Time) error {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Mkdir(filepath.Join(tmp, "plots"), 0o755); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	files := []outputFile{
		{"timeseries.csv", func(w io.Writer) error { return output.WriteTimeseries(w, res) }},
		{"summary.csv", func(w io.Writer) error { return output.WriteSummaryCSV(w, s) }},
		{"summary.json", func(w io.Writer) error { return output.WriteSummaryJSON(w, s) }},
	}
	files = append(files, plotFiles(res)...)
	man.Files = map[string]string{}
	for _, f := range files {
		path := filepath.Join(tmp, f.path)
		if err := output.WriteFileAtomic(path, f.write); err != nil {
			return fmt.Errorf("write results: %w", err)
		}
		h, err := output.HashFile(path)
		if err != nil {
			return fmt.Errorf("write results: %w", err)
		}
		man.Files[filepath.ToSlash(f.path)] = h
	}
	man.WallSeconds = time.Since(start).Round(time.Millisecond).Seconds()
	if err := output.WriteFileAtomic(filepath.Join(tmp, "manifest.json"), func(w io.Writer) error { return output.WriteManifest(w, *man) }); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	if force {
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("write results: replace %s: %w", dir, err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	return nil
}

// Chart size: fits a page of an essay.
const (
	chartWidth  = 16 * vg.Centimeter
	chartHeight = 10 * vg.Centimeter
)

// plotFiles lists the charts, each as PNG and SVG.
func plotFiles(res *sim.Result) []outputFile {
	charts := []struct {
		name string
		make func(*sim.Result) (*plot.Plot, error)
	}{
		{"adoption", output.AdoptionChart},
		{"pipeline", output.PipelineChart},
		{"transfer", output.TransferChart},
	}
	var files []outputFile
	for _, c := range charts {
		for _, ext := range []string{"png", "svg"} {
			files = append(files, outputFile{
				path: filepath.Join("plots", c.name+"."+ext),
				write: func(w io.Writer) error {
					p, err := c.make(res)
					if err != nil {
						return fmt.Errorf("plot %s: %w", c.name, err)
					}
					return output.WritePlot(w, ext, p, chartWidth, chartHeight)
				},
			})
		}
	}
	return files
}

// progress reports finished runs on stderr: a line that redraws itself on a
// terminal, a line per 10 % otherwise.
type progress struct {
	mu     sync.Mutex
	e      *env
	total  int
	n      int
	last   int
	start  time.Time
	silent bool
}

func newProgress(e *env, total int, quiet bool) *progress {
	return &progress{e: e, total: total, start: time.Now(), silent: quiet || total < 2}
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if p.silent {
		return
	}
	el := time.Since(p.start)
	eta := time.Duration(float64(el) / float64(p.n) * float64(p.total-p.n))
	line := fmt.Sprintf("runs %d/%d  elapsed %s  eta %s", p.n, p.total, el.Round(time.Second), eta.Round(time.Second))
	if p.e.stderrTTY {
		fmt.Fprintf(p.e.stderr, "\r%-60s", line)
		return
	}
	if tenth := p.n * 10 / p.total; tenth > p.last || p.n == p.total {
		p.last = tenth
		fmt.Fprintln(p.e.stderr, line)
	}
}

func (p *progress) finish() {
	if !p.silent && p.e.stderrTTY {
		fmt.Fprintln(p.e.stderr)
	}
}
