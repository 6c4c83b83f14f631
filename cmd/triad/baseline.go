package main

import (
	"bytes"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/output"
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
	set, err := runs.LoadRunSet(e.ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	b := output.BaselineOf(set, version)
	// A baseline that check would refuse is not written.
	var buf bytes.Buffer
	if err := output.WriteBaseline(&buf, b); err != nil {
		return err
	}
	if buf.Len() > output.MaxBaselineSize {
		return &inputError{fmt.Errorf("the baseline of %s would take %s, more than %s, the cap on a baseline: check fewer sweep points", fs.Arg(0), runs.Size(int64(buf.Len())), runs.Size(output.MaxBaselineSize))}
	}
	if _, err := output.ReadBaseline(bytes.NewReader(buf.Bytes())); err != nil {
		return &inputError{fmt.Errorf("the runs of %s make no baseline that check would take: %w; run the scenario with --replications 2 or more", fs.Arg(0), err)}
	}
	// Again: the file may have appeared while the runs were read.
	if err := baselineFile.prepare(o.to, o.force); err != nil {
		return err
	}
	if err := runs.WriteFileAtomic(o.to, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d metrics of %s over %d runs\n", o.to, len(b.Metrics), b.Scenario, len(set.Runs))
	return nil
}
