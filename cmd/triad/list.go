package main

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/triad-sim/triad/scenarios"
)

func runList(e *env, args []string) error {
	fs := newFlags(e, "list")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("list", "list takes no arguments")
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	for _, in := range scenarios.List() {
		fmt.Fprintf(tw, "%s\t%s\n", in.Name, in.Description)
	}
	return tw.Flush()
}

func runShow(e *env, args []string) error {
	fs := newFlags(e, "show")
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
	_, err = e.stdout.Write(src)
	return err
}

func runValidate(e *env, args []string) error {
	fs := newFlags(e, "validate")
	large := fs.Bool("allow-large", false, allowLargeUsage)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("validate", "validate takes one scenario file")
	}
	name, src, err := scenarios.Resolve(fs.Arg(0), readScenarioFile)
	if err != nil {
		return &inputError{err}
	}
	cfg, err := scenarios.LoadCapped(name, src, caps(*large))
	if err != nil {
		var es scenarios.Errors
		if errors.As(err, &es) {
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
		return &inputError{err}
	}
	fmt.Fprintf(e.stdout, "%s: ok (%d regions, %d steps, %d replicates)\n", name, len(cfg.Regions), cfg.Steps, cfg.Replicates)
	return nil
}
