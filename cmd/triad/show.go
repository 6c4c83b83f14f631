package main

import (
	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/scenarios"
)

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
		return output.WriteJSON(e.stdout, output.ShowJSON{SchemaVersion: schemaVersion, Scenario: cfg})
	}
	_, err = e.stdout.Write(src)
	return err
}
