package main

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// listOptions are the flags of `triad list`.
type listOptions struct{ asJSON bool }

func (o *listOptions) addFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.asJSON, "json", false, "print the list as JSON (see docs/CLI.md)")
}

func (o *listOptions) execute(e *env, fs *pflag.FlagSet) error {
	if fs.NArg() != 0 {
		return usagef("list", "list takes no arguments")
	}
	if o.asJSON {
		out := listJSON{SchemaVersion: schemaVersion, Scenarios: []scenarioJSON{}}
		for _, in := range scenarios.List() {
			out.Scenarios = append(out.Scenarios, scenarioJSON{in.Name, in.Description})
		}
		return writeJSON(e.stdout, out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	for _, in := range scenarios.List() {
		fmt.Fprintf(tw, "%s\t%s\n", in.Name, in.Description)
	}
	return tw.Flush()
}

// showOptions are the flags of `triad show`.
type showOptions struct{ asJSON bool }

func (o *showOptions) addFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.asJSON, "json", false, "print the resolved scenario (defaults filled in) as JSON (see docs/CLI.md)")
}

func (o *showOptions) execute(e *env, fs *pflag.FlagSet) error {
	asJSON := &o.asJSON
	if fs.NArg() != 1 {
		return usagef("show", "show takes one built-in scenario name")
	}
	src, err := scenarios.Source(fs.Arg(0))
	if err != nil {
		return &inputError{err}
	}
	if *asJSON {
		cfg, err := scenarios.Load(fs.Arg(0), src)
		if err != nil {
			return &inputError{err}
		}
		return writeJSON(e.stdout, struct {
			SchemaVersion int        `json:"schema_version"`
			Scenario      sim.Config `json:"scenario"`
		}{schemaVersion, cfg})
	}
	_, err = e.stdout.Write(src)
	return err
}

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
	out := validateJSON{SchemaVersion: schemaVersion, File: fs.Arg(0), Errors: []problemJSON{}}
	// fail reports the problems of an invalid scenario.
	fail := func(err error) error {
		if *asJSON {
			var es scenarios.Errors
			if !errors.As(err, &es) {
				es = scenarios.Errors{{File: out.File, Msg: err.Error()}}
			}
			for _, se := range es {
				out.Errors = append(out.Errors, problemJSON{se.File, se.Line, se.Col, se.Field, se.Msg})
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
		name = stdinName
		src, err = readScenarioStdin(e.stdin)
	} else {
		name, src, err = scenarios.Resolve(fs.Arg(0), readScenarioFile)
	}
	if err != nil {
		return fail(err)
	}
	out.File = name
	cfg, err := scenarios.LoadCapped(name, src, caps(*large))
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
	fmt.Fprintf(e.stdout, "%s: ok (%d regions, %d steps, %d replicates)\n", name, len(cfg.Regions), cfg.Steps, cfg.Replicates)
	return nil
}
