package main

import (
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/scenarios"
)

// validateOptions are the flags of `triad validate`.
type validateOptions struct{ large, asJSON bool }

func (o *validateOptions) addFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.large, "allow-large", false, allowLargeUsage)
	fs.BoolVar(&o.asJSON, "json", false, "print the verdict and every problem as JSON (see docs/CLI.md)")
}

func (o *validateOptions) execute(e *env, fs *pflag.FlagSet) error {
	if fs.NArg() != 1 {
		return usagef("validate", "validate takes one scenario file (- for the standard input)")
	}
	name, src, err := scenarios.ReadArg(fs.Arg(0), e.stdin, readScenarioFile)
	if err != nil {
		return o.fail(e, fs.Arg(0), err)
	}
	cfg, notes, err := scenarios.LoadNoted(name, src, caps(o.large))
	for _, n := range notes {
		fmt.Fprintf(e.stderr, "note: %s\n", n.Error())
	}
	var es scenarios.Errors
	switch {
	case err != nil && !errors.As(err, &es):
		return o.fail(e, name, err)
	case err != nil:
		if o.asJSON {
			o.fail(e, name, es)
		} else {
			fmt.Fprint(e.stderr, es.Listing(src))
		}
		return &inputError{fmt.Errorf("%s: %d problem(s)", name, len(es))}
	case o.asJSON:
		return output.WriteJSON(e.stdout, output.ValidateJSON{SchemaVersion: schemaVersion, File: name, Valid: true, Name: cfg.Name,
			Regions: len(cfg.Regions), Steps: cfg.Steps, Replicates: cfg.Replicates, Errors: []output.ProblemJSON{}})
	}
	fmt.Fprintf(e.stdout, "%s: ok (%d regions, %d steps, %d replications)\n", name, len(cfg.Regions), cfg.Steps, cfg.Replicates)
	return nil
}

// fail reports the problems of the scenario file that err refuses, as
// JSON with --json.
func (o *validateOptions) fail(e *env, file string, err error) error {
	if o.asJSON {
		out := output.ValidateJSON{SchemaVersion: schemaVersion, File: file, Errors: []output.ProblemJSON{}}
		for _, se := range scenarios.Problems(err, file) {
			out.Errors = append(out.Errors, output.ProblemJSON{File: se.File, Line: se.Line, Col: se.Col, Field: se.Field, Message: se.Msg})
		}
		if err := output.WriteJSON(e.stdout, out); err != nil {
			return err
		}
	}
	return &inputError{err}
}
