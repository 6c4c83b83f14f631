package main

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

func runList(e *env, args []string) error {
	fs := newFlags(e, "list")
	asJSON := fs.Bool("json", false, "print the list as JSON (see docs/CLI.md)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("list", "list takes no arguments")
	}
	if *asJSON {
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

func runShow(e *env, args []string) error {
	fs := newFlags(e, "show")
	asJSON := fs.Bool("json", false, "print the resolved scenario (defaults filled in) as JSON (see docs/CLI.md)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
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

func runValidate(e *env, args []string) error {
	fs := newFlags(e, "validate")
	large := fs.Bool("allow-large", false, allowLargeUsage)
	asJSON := fs.Bool("json", false, "print the verdict and every problem as JSON (see docs/CLI.md)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
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
