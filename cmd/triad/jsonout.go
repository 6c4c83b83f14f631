package main

import (
	"encoding/json"
	"io"

	"github.com/triad-sim/triad/output"
)

// schemaVersion is the version of every --json output's schema (see
// output.SchemaVersion and docs/CLI.md).
const schemaVersion = output.SchemaVersion

// writeJSON writes v as indented JSON and a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
