package main

import (
	"fmt"
	"os"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/sim"
)

// compareOptions are the flags of `triad compare`.
type compareOptions struct {
	out     string
	metrics []string
	force   bool
	asJSON  bool
	experimentFlags
	execFlags
}

func (o *compareOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVarP(&o.out, "out", "o", "", "output folder (default out/compare-A-vs-B)")
	o.experimentFlags.addFlags(fs, "the first scenario's, for every scenario")
	fs.StringArrayVar(&o.metrics, "metric", nil, "compare only this figure (repeatable): t50, reached50_share, final_adoption, commercialized_share, lag_median, ...")
	fs.BoolVar(&o.force, "force", false, "replace an existing output folder")
	fs.BoolVar(&o.asJSON, "json", false, "print the comparison as JSON, as compare.json holds it (see docs/CLI.md)")
	o.execFlags.addFlags(fs)
}

func (o *compareOptions) execute(e *env, fs *pflag.FlagSet) error {
	if fs.NArg() < 2 {
		return usagef("compare", "compare needs at least two scenarios or output folders, got %d", fs.NArg())
	}
	if err := o.check("compare"); err != nil {
		return err
	}
	// Read everything and check every override, the caps and the regions
	// before anything runs.
	p, err := o.prepare(e, fs)
	if err != nil {
		return err
	}
	if err := p.Run(func(cfg sim.Config) (*sim.Result, error) { return o.simulate(e, cfg) }); err != nil {
		return err
	}
	sets, man := runs.CompareSets(p.Inputs, e.program())
	c, err := output.Compare(sets, o.metrics)
	if err != nil {
		return &inputError{err}
	}
	if o.out == "" {
		o.out = runs.CompareFolder(sets)
	}
	if err := prepareOut(o.out, o.force); err != nil {
		return err
	}
	if o.force {
		noteKept(e, o.out, o.quiet)
	}
	if err := runs.WriteComparison(o.out, sets, c, man); err != nil {
		return err
	}
	switch {
	case o.asJSON:
		sum, err := output.NewCompareSummaryJSON(o.out, c)
		if err != nil {
			return err
		}
		return output.WriteJSON(e.stdout, sum)
	case o.quiet:
		return nil
	}
	return output.PrintCompareSummary(e.stdout, c, o.out)
}

// prepare reads every argument of compare: the runs of finished folders,
// and the scenarios with the experiment flags applied, each with the seed
// and replications of the first argument (scenario or folder, so that the
// runs pair with it) unless --seed and --replications say otherwise,
// checked against the caps. The flags never change a finished folder. It refuses sets whose regions
// differ, naming the regions, before anything runs.
func (o *compareOptions) prepare(e *env, fs *pflag.FlagSet) (*runs.Pairing, error) {
	p := &runs.Pairing{}
	for _, arg := range fs.Args() {
		if st, err := os.Stat(arg); err == nil && st.IsDir() {
			if err := p.AddFolder(e.ctx, arg); err != nil {
				return nil, err
			}
			continue
		}
		_, src, cfg, err := loadScenario(arg, o.large)
		if err != nil {
			return nil, err
		}
		p.Pair(&cfg)
		if err := o.experimentFlags.apply(fs, &cfg, nil, o.large); err != nil {
			return nil, fmt.Errorf("%s: %w", arg, err)
		}
		if err := p.AddScenario(arg, src, cfg); err != nil {
			return nil, err
		}
		if err := o.checkMemory(&cfg, float64(cfg.Replicates), cfg.Replicates); err != nil {
			return nil, err
		}
	}
	if err := p.SameRegions(); err != nil {
		return nil, &inputError{err}
	}
	return p, nil
}
