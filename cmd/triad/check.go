package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// checkOptions are the flags of `triad check`.
type checkOptions struct {
	baseline    string
	asJSON      bool
	anyScenario bool
	junit       string
	summaryMD   string
	force       bool
	experimentFlags
	execFlags
}

func (o *checkOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.baseline, "baseline", "", "the baseline file (required)")
	fs.BoolVar(&o.asJSON, "json", false, "print the verdict as JSON")
	fs.BoolVar(&o.anyScenario, "any-scenario", false, "check a scenario other than the baseline's (by default a different scenario is refused)")
	fs.StringVar(&o.junit, "junit", "", "also write the verdict as JUnit XML to `FILE`, for CI test reports")
	fs.StringVar(&o.summaryMD, "summary-md", "", "also write the verdict as a short Markdown table to `FILE`, for a pull request comment or a CI job summary")
	fs.BoolVar(&o.force, "force", false, "replace the --junit and --summary-md reports of an earlier check (never any other file)")
	o.experimentFlags.addFlags(fs, "the scenario's")
	o.execFlags.addFlags(fs)
}

func (o *checkOptions) execute(e *env, fs *pflag.FlagSet) error {
	start := time.Now()
	if fs.NArg() != 1 || o.baseline == "" {
		return usagef("check", "check takes one output folder or scenario and --baseline FILE")
	}
	if err := o.check("check"); err != nil {
		return err
	}
	if err := o.checkReports(); err != nil {
		return err
	}
	b, err := runs.ReadBaseline(o.baseline)
	if err != nil {
		return &inputError{err}
	}
	var notes []string
	same := func(cfg sim.Config) error {
		m, err := b.Match(cfg)
		switch {
		case err != nil:
			return &inputError{fmt.Errorf("%s: %w", o.baseline, err)}
		case m.Unhashed:
			notes = append(notes, fmt.Sprintf("note: %s predates config_sha256, so the scenario was not compared with the baseline's; rewrite it with 'triad baseline' to have it compared", o.baseline))
		case m.Differs && !o.anyScenario:
			return &inputError{fmt.Errorf("%s is not the scenario of the baseline %s (%s): the resolved scenarios differ (config_sha256 %.12s… against %.12s…); check the scenario the baseline was made from, or add --any-scenario to check this one against it all the same",
				fs.Arg(0), o.baseline, b.Scenario, m.ConfigSHA256, b.ConfigSHA256)}
		case m.Differs:
			notes = append(notes, fmt.Sprintf("note: the scenario differs from the baseline's (%s); checking it all the same (--any-scenario)", b.Scenario))
		}
		if m.OtherSeed {
			notes = append(notes, fmt.Sprintf("note: seed %d, the baseline's is %d: a check on another seed, as intended; the limits allow for the noise between seeds", cfg.Seed, b.Seed))
		}
		return nil
	}
	set, err := checkedSet(e, fs, *o, same)
	if err != nil {
		return err
	}
	res := output.Check(b, output.SummarizePoints(set.Regions, set.Config.Points(), set.Runs))
	if err := output.PrintCheckVerdict(e.stdout, e.stderr, notes, res, o.asJSON, o.quiet); err != nil {
		return err
	}
	rep := output.CheckReport{Scenario: set.Config.Name, Baseline: o.baseline, Seconds: time.Since(start).Seconds()}
	for _, r := range []struct {
		kind  outputFile
		path  string
		write func(io.Writer, output.CheckResult, output.CheckReport) error
	}{{junitFile, o.junit, output.WriteCheckJUnit}, {summaryFile, o.summaryMD, output.WriteCheckMarkdown}} {
		if r.path == "" {
			continue
		}
		// Again: the file may have appeared while the check ran.
		if err := r.kind.prepare(r.path, o.force); err != nil {
			return err
		}
		if err := runs.WriteFileAtomic(r.path, func(w io.Writer) error { return r.write(w, res, rep) }); err != nil {
			return err
		}
	}
	if res.Failed > 0 {
		return &failedError{fmt.Errorf("check: %d of %d metrics moved beyond their limits against %s", res.Failed, len(res.Rows), o.baseline)}
	}
	return nil
}

// checkReports refuses report files that could not or must not be
// written, before the check spends any time: a file in a folder that does
// not exist, the baseline itself, the same file for both reports, or a
// file that is there and that must stay (anything but an earlier report
// of a check, and that only with --force).
func (o checkOptions) checkReports() error {
	for _, r := range []struct {
		kind outputFile
		path string
	}{{junitFile, o.junit}, {summaryFile, o.summaryMD}} {
		if r.path == "" {
			continue
		}
		if filepath.Clean(r.path) == filepath.Clean(o.baseline) {
			return usagef("check", "--%s %s is the baseline: give another file", r.kind.flag, r.path)
		}
		if st, err := os.Stat(filepath.Dir(r.path)); err != nil || !st.IsDir() {
			return &inputError{fmt.Errorf("--%s %s: the folder %s does not exist", r.kind.flag, r.path, filepath.Dir(r.path))}
		}
		if err := r.kind.prepare(r.path, o.force); err != nil {
			return err
		}
	}
	if o.junit != "" && filepath.Clean(o.junit) == filepath.Clean(o.summaryMD) {
		return usagef("check", "--junit and --summary-md name the same file %s", o.junit)
	}
	return nil
}

// checkedSet loads the runs to check: a finished output folder, or a
// scenario run now. verify sees the scenario before anything runs.
func checkedSet(e *env, fs *pflag.FlagSet, o checkOptions, verify func(sim.Config) error) (output.RunSet, error) {
	arg := fs.Arg(0)
	if st, err := os.Stat(arg); err == nil && st.IsDir() {
		for _, f := range experimentFlagNames {
			if fs.Changed(f) {
				return output.RunSet{}, usagef("check", "--%s applies when check runs a scenario, not to the finished folder %s", f, arg)
			}
		}
		set, err := runs.LoadRunSet(e.ctx, arg)
		if err != nil {
			return set, err
		}
		return set, verify(set.Config)
	}
	_, _, cfg, err := loadScenario(arg, o.large)
	if err != nil {
		return output.RunSet{}, err
	}
	if err := o.experimentFlags.apply(fs, &cfg, nil, o.large); err != nil {
		return output.RunSet{}, err
	}
	if err := verify(cfg); err != nil {
		return output.RunSet{}, err
	}
	if err := o.checkMemory(&cfg, scenarios.Runs(&cfg), int(scenarios.Runs(&cfg))); err != nil {
		return output.RunSet{}, err
	}
	res, err := o.simulate(e, cfg)
	if err != nil {
		return output.RunSet{}, err
	}
	return output.RunSet{Label: cfg.Name, Config: cfg, Regions: res.Regions, Runs: res.Runs}, nil
}
