package main

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/runs"
)

// Build facts. Releases set them with -ldflags "-X main.version=... -X
// main.commit=... -X main.buildDate=..." (make build and make dist do);
// otherwise commit and date come from the Go build information when the
// binary was built from a git checkout, and are "unknown" when not.
var (
	version   = "0.2.0-dev"
	commit    = ""
	buildDate = ""
)

func runVersion(e *env, fs *pflag.FlagSet) error {
	if fs.NArg() != 0 {
		return usagef("version", "version takes no arguments")
	}
	b := runs.Build(version, commit, buildDate)
	fmt.Fprintf(e.stdout, "triad %s\ncommit:     %s\nbuilt:      %s\ngo:         %s\nplatform:   %s\n",
		b.Version, b.Commit, b.BuildDate, b.GoVersion, b.Platform)
	return nil
}
