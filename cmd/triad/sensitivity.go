package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// sensitivityOptions are the flags of `triad sensitivity`.
type sensitivityOptions struct {
	params  []string
	method  string
	samples int
	levels  int
	radial  bool
	series  bool
	metrics []string
	run     runOptions
}

func (o *sensitivityOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringArrayVar(&o.params, "param", nil, "vary a parameter over a range, PATH=LOW:HIGH (repeatable; replaces the scenario's sensitivity block)")
	fs.StringVar(&o.method, "method", "", "morris (screening, the default) or sobol (first-order and total indices)")
	fs.IntVar(&o.samples, "samples", 0, fmt.Sprintf("Morris trajectories or Sobol base rows N (default %d or %d)", sim.DefaultMorrisTrajectories, sim.DefaultSobolSamples))
	fs.IntVar(&o.levels, "levels", 0, fmt.Sprintf("levels of the Morris grid, even (default %d)", sim.DefaultMorrisLevels))
	fs.BoolVar(&o.radial, "radial", false, "a radial Morris design: every move from the trajectory's first point")
	fs.BoolVar(&o.series, "timeseries", false, "keep every run whole (time series, innovation log, timeseries.csv); by default the folder keeps only the per-run figures the indices read (figures.csv)")
	fs.StringArrayVar(&o.metrics, "metric", nil, "analyse this figure (repeatable; default the headline figures): t50, reached50_share, adoption_at_24, commercialized_share, lag_median, ...")
	fs.StringVarP(&o.run.out, "out", "o", "", "output folder (default out/NAME-sensitivity)")
	o.run.experimentFlags.addFlags(fs, "the scenario's")
	fs.BoolVar(&o.run.force, "force", false, "replace an existing output folder")
	fs.BoolVar(&o.run.noPlots, "no-plots", false, "write the tables and the report but no charts")
	fs.StringVar(&o.run.shard, "shard", "", "run only shard I of N (I/N, or auto/N to take I from the batch engine) into OUT/shard-IIII-of-NNNN; 'triad merge OUT' assembles them")
	o.run.execFlags.addFlags(fs)
}

func (o *sensitivityOptions) execute(e *env, fs *pflag.FlagSet) error {
	if err := o.run.check("sensitivity"); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("sensitivity", "sensitivity takes one scenario (a file or a built-in name), got %d", fs.NArg())
	}
	switch o.method {
	case "", sim.DesignMorris, sim.DesignSobol:
	default:
		return usagef("sensitivity", "--method %s: want morris or sobol", o.method)
	}
	_, src, cfg, err := loadScenario(fs.Arg(0), o.run.large)
	if err != nil {
		return err
	}
	sw, err := o.sweep(fs, cfg.Sensitivity, fs.Arg(0))
	if err != nil {
		return err
	}
	cfg.Sensitivity = nil
	if err := o.run.experimentFlags.apply(fs, &cfg, sw, o.run.large); err != nil {
		return err
	}
	if err := o.run.checkMemory(&cfg, scenarios.Runs(&cfg), cfg.Replicates); err != nil {
		return err
	}
	if o.run.out == "" {
		o.run.out = filepath.Join("out", cfg.Name+"-sensitivity")
	}
	if o.run.shard != "" {
		return runShard(e, o.run, src, cfg)
	}
	if err := startRun(e, o.run, src, cfg); err != nil || o.run.quiet {
		return err
	}
	return printDrivers(e.stdout, o.run.out, &cfg)
}

// sweep builds the Morris or Sobol sweep from the flags, over the
// scenario's sensitivity block (block, nil without one): --param replaces
// the block's parameters, the other flags its settings.
func (o *sensitivityOptions) sweep(fs *pflag.FlagSet, block *sim.Sensitivity, scenario string) (*sim.Sweep, error) {
	var s sim.Sensitivity
	if block != nil {
		s = *block
	}
	if len(o.params) > 0 {
		s.Params = nil
		for _, a := range o.params {
			path, lo, hi, err := parseParamRange("sensitivity", a)
			if err != nil {
				return nil, err
			}
			s.Params = append(s.Params, sim.SensitivityParam{Path: path, Low: &lo, High: &hi})
		}
	}
	if len(s.Params) == 0 {
		return nil, usagef("sensitivity", "%s has no sensitivity block: give the parameters with --param PATH=LOW:HIGH", scenario)
	}
	if fs.Changed("method") {
		s.Method = o.method
	}
	if fs.Changed("samples") {
		s.Samples = o.samples
	}
	if fs.Changed("levels") {
		s.Levels = o.levels
	}
	if fs.Changed("radial") {
		s.Radial = o.radial
	}
	if fs.Changed("metric") {
		s.Metrics = o.metrics
	}
	if fs.Changed("timeseries") {
		s.Timeseries = o.series
	}
	if s.Method == sim.DesignSobol && (s.Levels != 0 || s.Radial) {
		return nil, usagef("sensitivity", "--levels and --radial apply only to --method morris")
	}
	if fs.Changed("samples") && o.samples < 2 {
		return nil, usagef("sensitivity", "--samples must be at least 2, got %d", o.samples)
	}
	if fs.Changed("levels") && (o.levels < 2 || o.levels%2 != 0) {
		return nil, usagef("sensitivity", "--levels must be an even number of at least 2, got %d", o.levels)
	}
	return s.Sweep(), nil
}

// parseParamRange reads --param PATH=LOW:HIGH, as sensitivity and fit take
// it (see scenarios.ParseParamRange). Its errors are bad usage of cmd.
func parseParamRange(cmd, a string) (path string, lo, hi float64, err error) {
	path, lo, hi, err = scenarios.ParseParamRange(a)
	if err != nil {
		return "", 0, 0, usagef(cmd, "--param %s: %v", a, err)
	}
	return path, lo, hi, nil
}

// printDrivers prints, for every analysed figure, which parameters drive
// it, from the folder's sensitivity.json (nothing when it has none).
func printDrivers(w io.Writer, dir string, cfg *sim.Config) error {
	r, err := runs.ReadSensitivity(dir, cfg)
	if err != nil || r == nil {
		return err
	}
	return output.WriteDrivers(w, *r, cfg, filepath.Join(dir, runs.SensitivityCSVName))
}
