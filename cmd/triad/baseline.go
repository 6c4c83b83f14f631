package main

import (
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/runs"
)

// baselineOptions are the flags of `triad baseline`.
type baselineOptions struct {
	to    string
	force bool
}

func (o *baselineOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.to, "to", "", "the baseline file to write (required)")
	fs.BoolVar(&o.force, "force", false, "replace a baseline that triad wrote before (never any other file)")
}

func (o *baselineOptions) execute(e *env, fs *pflag.FlagSet) error {
	if fs.NArg() != 1 || o.to == "" {
		return usagef("baseline", "baseline takes one finished output folder and --to FILE")
	}
	if err := baselineFile.prepare(o.to, o.force); err != nil {
		return err
	}
	// A folder being written (run --force, merge) is not read half-done.
	f, err := runs.Hold(fs.Arg(0), owner(e))
	if err != nil {
		return err
	}
	defer f.Close()
	b, err := runs.MakeBaseline(e.ctx, fs.Arg(0), version)
	var be *runs.BaselineError
	switch {
	case errors.As(err, &be) && be.Refusal != nil:
		return &inputError{fmt.Errorf("the runs of %s make no baseline that check would take: %w; run the scenario with --replications 2 or more", fs.Arg(0), be.Refusal)}
	case be != nil:
		return &inputError{err}
	case err != nil:
		return err
	}
	// Again: the file may have appeared while the runs were read.
	if err := baselineFile.prepare(o.to, o.force); err != nil {
		return err
	}
	if err := runs.WriteFileAtomic(o.to, b.Write); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d metrics of %s over %d runs\n", o.to, len(b.Metrics), b.Scenario, b.Runs)
	return nil
}
