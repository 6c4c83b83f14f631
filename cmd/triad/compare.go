package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"
	"gonum.org/v1/plot"

	"triad/output"
	"triad/sim"
)

// compareOptions are the flags of `triad compare`.
type compareOptions struct {
	out          string
	seed         uint64
	replications int
	metrics      []string
	force        bool
	execFlags
}

func (o *compareOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVarP(&o.out, "out", "o", "", "output folder (default out/compare-A-vs-B)")
	fs.Uint64Var(&o.seed, "seed", 0, "seed for every scenario run (default: the first scenario's)")
	fs.IntVar(&o.replications, "replications", 0, "replicates for every scenario run (default: the first scenario's)")
	fs.StringArrayVar(&o.metrics, "metric", nil, "compare only this figure (repeatable): t50, final_adoption, commercialized_share, lag_median, ...")
	fs.BoolVar(&o.force, "force", false, "replace an existing output folder")
	o.execFlags.addFlags(fs)
}

func runCompare(e *env, args []string) error {
	var o compareOptions
	fs := newFlags(e, "compare")
	o.addFlags(fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() < 2 {
		return usagef("compare", "compare needs at least two scenarios or output folders, got %d", fs.NArg())
	}
	if err := o.check("compare"); err != nil {
		return err
	}
	sets := make([]output.RunSet, 0, fs.NArg())
	var seed *uint64
	var reps *int
	if fs.Changed("seed") {
		seed = &o.seed
	}
	if fs.Changed("replications") {
		reps = &o.replications
	}
	labels := map[string]int{}
	for _, arg := range fs.Args() {
		set, err := loadSet(e, arg, &seed, &reps, o)
		if err != nil {
			return err
		}
		labels[set.Label]++
		if n := labels[set.Label]; n > 1 {
			set.Label = fmt.Sprintf("%s#%d", set.Label, n)
		}
		sets = append(sets, set)
	}
	c, err := output.Compare(sets, o.metrics)
	if err != nil {
		return &inputError{err}
	}
	if o.out == "" {
		var names []string
		for _, s := range sets {
			names = append(names, s.Label)
		}
		o.out = filepath.Join("out", "compare-"+strings.Join(names, "-vs-"))
	}
	if err := prepareOut(o.out, o.force); err != nil {
		return err
	}
	os.Remove(filepath.Join(o.out, runsDir))
	if err := os.MkdirAll(filepath.Join(o.out, "plots"), 0o755); err != nil {
		return err
	}
	files := []outputFile{
		{"compare.csv", func(w io.Writer) error { return output.WriteCompareCSV(w, c) }},
		{"compare.json", func(w io.Writer) error { return output.WriteCompareJSON(w, c) }},
	}
	files = append(files, chartFiles("compare", func() (*plot.Plot, error) { return output.CompareChart(sets) })...)
	hashes := map[string]string{}
	for _, f := range files {
		if err := writeHashed(o.out, f.path, hashes, f.write); err != nil {
			return err
		}
	}
	if err := writeReport(o.out, nil, version, hashes); err != nil {
		return err
	}
	if err := output.PrintCompare(e.stdout, c); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nWritten to %s: compare.csv, compare.json, plots/compare.png, report.html\n", o.out)
	return nil
}

// loadSet turns one argument of compare into a set of runs: the runs of a
// finished output folder, or a scenario run now with the shared seed and
// replicates (the first scenario's unless flags set them).
func loadSet(e *env, arg string, seed **uint64, reps **int, o compareOptions) (output.RunSet, error) {
	if st, err := os.Stat(arg); err == nil && st.IsDir() {
		return loadFolder(arg)
	}
	_, _, cfg, err := loadScenario(arg, o.large)
	if err != nil {
		return output.RunSet{}, err
	}
	if *seed == nil {
		*seed = &cfg.Seed
	}
	if *reps == nil {
		*reps = &cfg.Replicates
	}
	cfg.Seed, cfg.Replicates = **seed, **reps
	if cfg.Sweep != nil {
		return output.RunSet{}, &inputError{fmt.Errorf("%s has a sweep: compare takes single scenarios (use the sweep's summary.csv instead)", arg)}
	}
	if err := cfg.Validate(); err != nil {
		return output.RunSet{}, &inputError{fmt.Errorf("%s: %w", arg, err)}
	}
	res, err := o.simulate(e, cfg)
	if err != nil {
		return output.RunSet{}, err
	}
	return output.RunSet{Label: cfg.Name, Config: cfg, Regions: res.Regions, Runs: res.Runs}, nil
}

// loadFolder reads the runs of a finished output folder without a sweep.
func loadFolder(dir string) (output.RunSet, error) {
	set, err := loadFolderAny(dir)
	if err == nil && set.Config.Sweep != nil {
		return output.RunSet{}, &inputError{fmt.Errorf("%s holds a sweep: compare takes single scenarios (use the sweep's summary.csv instead)", dir)}
	}
	return set, err
}

// loadFolderAny reads every run of a finished output folder.
func loadFolderAny(dir string) (output.RunSet, error) {
	man, err := readManifest(dir)
	if errors.Is(err, os.ErrNotExist) {
		return output.RunSet{}, &inputError{fmt.Errorf("%s holds no %s: it is not a triad output folder", dir, manifestName)}
	}
	if err != nil {
		return output.RunSet{}, &inputError{err}
	}
	if !man.Complete {
		return output.RunSet{}, &inputError{fmt.Errorf("%s is not complete: finish it with 'triad run --resume %s'", dir, dir)}
	}
	cfg := man.Scenario
	runs, err := loadRuns(newStore(dir, &cfg), &cfg)
	if err != nil {
		return output.RunSet{}, err
	}
	return output.RunSet{Label: filepath.Base(filepath.Clean(dir)), Config: cfg, Regions: cfg.RegionIDs(), Runs: runs}, nil
}

// loadRuns reads every run of cfg from a store.
func loadRuns(st store, cfg *sim.Config) ([]*sim.RunResult, error) {
	var runs []*sim.RunResult
	for _, t := range cfg.Tasks() {
		r, err := st.load(t)
		if err != nil {
			return nil, &inputError{fmt.Errorf("read runs of %s: %w", st.dir, err)}
		}
		runs = append(runs, r)
	}
	return runs, nil
}
