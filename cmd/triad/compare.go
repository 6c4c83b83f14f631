package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

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

// compareArg is one argument of compare: a finished folder's runs (set
// holds them) or a scenario to run (cfg), with the SHA-256 (hex) of the
// scenario file as read (a folder's manifest records its own).
type compareArg struct {
	arg     string
	folder  bool
	set     output.RunSet
	cfg     sim.Config
	fileSum string
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
	items, err := o.prepare(e, fs)
	if err != nil {
		return err
	}
	sets := make([]output.RunSet, 0, len(items))
	man := runs.CompareManifest{Program: e.program()}
	labels := map[string]int{}
	for _, it := range items {
		set := it.set
		if !it.folder {
			res, err := o.simulate(e, it.cfg)
			if err != nil {
				return err
			}
			set = output.RunSet{Label: it.cfg.Name, Config: it.cfg, Regions: res.Regions, Runs: res.Runs}
		}
		labels[set.Label]++
		if n := labels[set.Label]; n > 1 {
			set.Label = fmt.Sprintf("%s#%d", set.Label, n)
		}
		sets = append(sets, set)
		man.Compare = append(man.Compare, runs.CompareSet{Label: set.Label, Source: it.arg, Folder: it.folder,
			ScenarioFileSHA256: it.fileSum, ConfigSHA256: output.ConfigHash(set.Config), Seed: set.Config.Seed, Replicates: set.Config.Replicates})
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
	if o.force {
		noteKept(e, o.out, o.quiet)
	}
	if err := runs.WriteComparison(o.out, sets, c, man); err != nil {
		return err
	}
	switch {
	case o.asJSON:
		var buf bytes.Buffer
		if err := output.WriteCompareJSON(&buf, c); err != nil {
			return err
		}
		return writeJSON(e.stdout, output.CompareSummaryJSON{SchemaVersion: schemaVersion, Folder: o.out, Comparison: buf.Bytes()})
	case o.quiet:
		return nil
	}
	if err := output.PrintCompare(e.stdout, c); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nWritten to %s: compare.csv, compare.json, plots/compare.png (the curves), plots/compare-diff.png (the difference to %s over time), plots/compare-effects.png (every difference with its interval), report.html, manifest.json\n", o.out, sets[0].Label)
	return nil
}

// prepare reads every argument of compare: the runs of finished folders,
// and the scenarios with the experiment flags applied, each with the seed
// and replications of the first argument (scenario or folder, so that the
// runs pair with it) unless --seed and --replications say otherwise,
// checked against the caps. The flags never change a finished folder. It refuses sets whose regions
// differ, naming the regions, before anything runs.
func (o *compareOptions) prepare(e *env, fs *pflag.FlagSet) ([]compareArg, error) {
	var items []compareArg
	var first *sim.Config
	for _, arg := range fs.Args() {
		if st, err := os.Stat(arg); err == nil && st.IsDir() {
			set, err := loadFolder(e, arg)
			if err != nil {
				return nil, err
			}
			m, err := runs.ReadManifest(arg)
			if err != nil {
				return nil, err
			}
			items = append(items, compareArg{arg: arg, folder: true, set: set, cfg: set.Config, fileSum: m.ScenarioFileSHA256})
			if first == nil {
				first = &items[len(items)-1].cfg // scenarios run on its seeds: paired with it
			}
			continue
		}
		_, src, cfg, err := loadScenario(arg, o.large)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(src)
		if first != nil {
			cfg.Seed, cfg.Replicates = first.Seed, first.Replicates
		}
		if err := o.experimentFlags.apply(fs, &cfg, nil, o.large); err != nil {
			return nil, fmt.Errorf("%s: %w", arg, err)
		}
		if cfg.Sweep != nil {
			return nil, &inputError{fmt.Errorf("%s has a sweep: compare takes single scenarios (use the sweep's summary.csv instead)", arg)}
		}
		if err := o.checkMemory(&cfg, float64(cfg.Replicates), cfg.Replicates); err != nil {
			return nil, err
		}
		if first == nil {
			first = &cfg
		}
		items = append(items, compareArg{arg: arg, cfg: cfg, fileSum: hex.EncodeToString(sum[:])})
	}
	base := items[0]
	for _, it := range items[1:] {
		if err := sameRegions(base.arg, it.arg, base.cfg.RegionIDs(), it.cfg.RegionIDs()); err != nil {
			return nil, err
		}
	}
	return items, nil
}

// sameRegions returns an input error naming the regions that only one of
// a and b has, or that they order differently.
func sameRegions(a, b string, ra, rb []string) error {
	if slices.Equal(ra, rb) {
		return nil
	}
	only := func(x, y []string) []string {
		var out []string
		for _, r := range x {
			if !slices.Contains(y, r) {
				out = append(out, r)
			}
		}
		return out
	}
	var parts []string
	if oa := only(ra, rb); len(oa) > 0 {
		parts = append(parts, fmt.Sprintf("only %s has %s", a, strings.Join(oa, ", ")))
	}
	if ob := only(rb, ra); len(ob) > 0 {
		parts = append(parts, fmt.Sprintf("only %s has %s", b, strings.Join(ob, ", ")))
	}
	if len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("they order them differently: [%s] and [%s]", strings.Join(ra, " "), strings.Join(rb, " ")))
	}
	return &inputError{fmt.Errorf("%s and %s have different regions (%s); compare takes scenarios over the same regions, nothing was run", a, b, strings.Join(parts, "; "))}
}

// loadFolder reads the runs of a finished output folder without a sweep.
func loadFolder(e *env, dir string) (output.RunSet, error) {
	set, err := runs.LoadRunSet(e.ctx, dir)
	if err == nil && set.Config.Sweep != nil {
		return output.RunSet{}, &inputError{fmt.Errorf("%s holds a sweep: compare takes single scenarios (use the sweep's summary.csv instead)", dir)}
	}
	return set, err
}
