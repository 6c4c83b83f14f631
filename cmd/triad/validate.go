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
	large, asJSON := &o.large, &o.asJSON
	if fs.NArg() != 1 {
		return usagef("validate", "validate takes one scenario file (- for the standard input)")
	}
	out := output.ValidateJSON{SchemaVersion: schemaVersion, File: fs.Arg(0), Errors: []output.ProblemJSON{}}
	// fail reports the problems of an invalid scenario.
	fail := func(err error) error {
		if *asJSON {
			var es scenarios.Errors
			if !errors.As(err, &es) {
				es = scenarios.Errors{{File: out.File, Msg: err.Error()}}
			}
			for _, se := range es {
				out.Errors = append(out.Errors, output.ProblemJSON{File: se.File, Line: se.Line, Col: se.Col, Field: se.Field, Message: se.Msg})
			}
			if err := writeJSON(e.stdout, out); err != nil {
				return err
			}
		}
		return &inputError{err}
	}
	var name string
	var src []byte
	var err error
	if fs.Arg(0) == "-" {
		name = scenarios.StdinName
		src, err = scenarios.ReadStdin(e.stdin)
	} else {
		name, src, err = scenarios.Resolve(fs.Arg(0), readScenarioFile)
	}
	if err != nil {
		return fail(err)
	}
	out.File = name
	cfg, notes, err := scenarios.LoadNoted(name, src, caps(*large))
	for _, n := range notes {
		fmt.Fprintf(e.stderr, "note: %s\n", n.Error())
	}
	if err != nil {
		var es scenarios.Errors
		if !errors.As(err, &es) {
			return fail(err)
		}
		if *asJSON {
			fail(es)
			return &inputError{fmt.Errorf("%s: %d problem(s)", name, len(es))}
		}
		for i, se := range es {
			if i == scenarios.MaxShown {
				fmt.Fprintf(e.stderr, "and %d more\n", len(es)-i)
				break
			}
			fmt.Fprintln(e.stderr, se.Error())
			fmt.Fprint(e.stderr, se.Snippet(src))
		}
		return &inputError{fmt.Errorf("%s: %d problem(s)", name, len(es))}
	}
	if *asJSON {
		out.Valid, out.Name, out.Regions, out.Steps, out.Replicates = true, cfg.Name, len(cfg.Regions), cfg.Steps, cfg.Replicates
		return writeJSON(e.stdout, out)
	}
	fmt.Fprintf(e.stdout, "%s: ok (%d regions, %d steps, %d replications)\n", name, len(cfg.Regions), cfg.Steps, cfg.Replicates)
	return nil
}
