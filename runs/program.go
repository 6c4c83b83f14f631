package runs

import (
	"runtime"
	"runtime/debug"
)

// Build returns the build facts of this binary as a manifest records them:
// version, and commit and build date as the release set them; a commit or
// date left empty comes from the Go build information when the binary was
// built from a git checkout (the commit marked +modified when the tree
// was), and is "unknown" when not. Command and Host are left to the
// caller.
func Build(version, commit, buildDate string) Program {
	b := Program{Version: version, Commit: commit, BuildDate: buildDate, GoVersion: runtime.Version(), Platform: Platform()}
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

// Platform is the operating system and processor this triad runs on,
// GOOS/GOARCH.
func Platform() string { return runtime.GOOS + "/" + runtime.GOARCH }

// Invoked is the triad of version as it runs on host with args, the
// words after "triad": its platform, its command line and the host, as a
// manifest records them (the command tells the host: this package reads
// no host name).
func Invoked(version, host string, args []string) Invocation {
	return Invocation{Version: version, Platform: Platform(), Command: append([]string{"triad"}, args...), Host: host}
}

// RunAs returns p, the build, with the command line and host of inv.
func (p Program) RunAs(inv Invocation) Program {
	p.Command, p.Host = inv.Command, inv.Host
	return p
}
