package main

import "github.com/triad-sim/triad/output"

// schemaVersion is the version of every --json output's schema (see
// output.SchemaVersion and docs/CLI.md); output.WriteJSON writes them.
const schemaVersion = output.SchemaVersion
