package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/pflag"

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
	sw, err := o.sweep(fs, cfg.Sensitivity)
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
	return runs.WriteDrivers(e.stdout, o.run.out, &cfg)
}

// sweep builds the Morris or Sobol sweep from the flags given, over the
// scenario's sensitivity block (block, nil without one): --param replaces
// the block's parameters, the other flags its settings.
func (o *sensitivityOptions) sweep(fs *pflag.FlagSet, block *sim.Sensitivity) (*sim.Sweep, error) {
	sw, err := scenarios.SensitivityFlags{Params: o.params, Method: changed(fs, "method", &o.method), Samples: changed(fs, "samples", &o.samples),
		Levels: changed(fs, "levels", &o.levels), Radial: changed(fs, "radial", &o.radial), Metrics: changed(fs, "metric", &o.metrics),
		Timeseries: changed(fs, "timeseries", &o.series)}.Sweep(block)
	bad, isBad := errors.AsType[*scenarios.SettingError](err)
	switch {
	case errors.Is(err, scenarios.ErrNoSensitivity):
		return nil, usagef("sensitivity", "%s has no sensitivity block: give the parameters with --param PATH=LOW:HIGH", fs.Arg(0))
	case errors.Is(err, scenarios.ErrMorrisOnly):
		return nil, usagef("sensitivity", "--levels and --radial apply only to --method morris")
	case isBad:
		return nil, usagef("sensitivity", "--%s %s", bad.Setting, bad.Want)
	}
	return sw, paramUsage("sensitivity", err)
}

// paramUsage words a --param of command cmd that cannot be read (a
// *scenarios.ParamRangeError, as sensitivity and fit take it) as bad
// usage; other errors are as they are.
func paramUsage(cmd string, err error) error {
	if pe, ok := errors.AsType[*scenarios.ParamRangeError](err); ok {
		return usagef(cmd, "--param %s: %v", pe.Arg, pe.Err)
	}
	return err
}
