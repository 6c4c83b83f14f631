package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/internal/optimize"
	"github.com/triad-sim/triad/runs"
)

// runReport rebuilds report.html of a finished output folder from its
// files.
func runReport(e *env, fs *pflag.FlagSet) error {
	if fs.NArg() != 1 {
		return usagef("report", "report takes one output folder, got %d arguments", fs.NArg())
	}
	dir := fs.Arg(0)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return &inputError{fmt.Errorf("%s is not a folder", dir)}
	}
	switch kind, err := runs.ManifestKind(dir); {
	case err == nil && kind == runs.KindOptimization,
		err != nil && runs.IsFile(filepath.Join(dir, optimize.StateName)):
		if err := optimize.RebuildReport(dir); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote %s\n", filepath.Join(dir, runs.ReportName))
		return nil
	case err != nil && !runs.IsFile(filepath.Join(dir, runs.FitName)) && runs.IsFile(filepath.Join(dir, runs.FitStateName)):
		return &inputError{fmt.Errorf("%s holds an unfinished fit (triad fit): continue it with triad fit --resume %s, which writes its report", dir, dir)}
	case err != nil && runs.IsFile(filepath.Join(dir, runs.FitName)):
		return &inputError{fmt.Errorf("%s holds a fit (triad fit): triad report rebuilds the report of a run, a comparison or an optimization, and a fit writes all its files itself; run the fit again to write them again", dir)}
	}
	f, err := runs.Hold(dir, owner(e))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Report(e.ctx, version); err != nil {
		if e.ctx.Err() != nil {
			return &interruptedError{fmt.Sprintf("interrupted: %s is as it was (report.html is replaced whole or not at all)", dir)}
		}
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", filepath.Join(dir, runs.ReportName))
	return nil
}
