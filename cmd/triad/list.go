package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/scenarios"
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
		out := output.ListJSON{SchemaVersion: schemaVersion, Scenarios: []output.ScenarioJSON{}}
		for _, in := range scenarios.List() {
			out.Scenarios = append(out.Scenarios, output.ScenarioJSON{Name: in.Name, Description: in.Description})
		}
		return output.WriteJSON(e.stdout, out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	for _, in := range scenarios.List() {
		fmt.Fprintf(tw, "%s\t%s\n", in.Name, in.Description)
	}
	return tw.Flush()
}
