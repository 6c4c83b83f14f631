package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/pflag"
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

// buildInfo is what `triad version` prints and every manifest records.
type buildInfo struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	BuildDate string `json:"build_date"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"`
}

// currentBuild returns the facts of this binary.
func currentBuild() buildInfo {
	b := buildInfo{Version: version, Commit: commit, BuildDate: buildDate, GoVersion: runtime.Version(), Platform: platform()}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.BuildDate == "" {
					b.BuildDate = s.Value
				}
			case "vcs.modified":
				if s.Value == "true" && b.Commit != "" {
					b.Commit += "+modified"
				}
			}
		}
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	if b.BuildDate == "" {
		b.BuildDate = "unknown"
	}
	return b
}

// platform is the operating system and processor this triad runs on,
// GOOS/GOARCH.
func platform() string { return runtime.GOOS + "/" + runtime.GOARCH }

func runVersion(e *env, fs *pflag.FlagSet) error {
	if fs.NArg() != 0 {
		return usagef("version", "version takes no arguments")
	}
	b := currentBuild()
	fmt.Fprintf(e.stdout, "triad %s\ncommit:     %s\nbuilt:      %s\ngo:         %s\nplatform:   %s\n",
		b.Version, b.Commit, b.BuildDate, b.GoVersion, b.Platform)
	return nil
}
