package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/runs"
)

// holderFor is this process as the lock file of a folder names it, for
// command (the words after "triad").
func holderFor(command string) runs.Holder {
	host, _ := os.Hostname()
	return runs.Holder{Command: command, Host: host, Since: time.Now()}
}

// lockFolder takes the lock of dir for command (see runs.LockFolder).
func lockFolder(dir, command string) (*runs.Lock, error) {
	return runs.LockFolder(dir, holderFor(command))
}

// lockCommand is how a lock file names the command that holds it: the
// command and its arguments, shortened.
func lockCommand(name string, args []string) string {
	c := strings.Join(append([]string{name}, args...), " ")
	if len(c) > 200 {
		c = c[:200] + "..."
	}
	return c
}

// homeDir is the user's home folder, which runs never replaces ("" when
// it cannot be told).
func homeDir() string {
	home, _ := os.UserHomeDir()
	return home
}

// prepareOut makes sure dir can take a new run (see runs.Prepare).
func prepareOut(dir string, force bool) error { return runs.Prepare(dir, homeDir(), force) }

// noteKept says on stderr, unless quiet, what --force kept in the output
// folder dir because triad did not write it (see runs.Kept): the first
// few entries and how many more.
func noteKept(e *env, dir string, quiet bool) {
	kept, err := runs.Kept(dir)
	if quiet || err != nil || len(kept) == 0 {
		return
	}
	if len(kept) > 5 {
		kept = append(kept[:5], fmt.Sprintf("and %d more", len(kept)-5))
	}
	fmt.Fprintf(e.stderr, "triad: kept in %s what triad did not write: %s\n", dir, strings.Join(kept, ", "))
}

// invocation is this triad and its command line, as a manifest records
// them.
func (e *env) invocation() runs.Invocation {
	host, _ := os.Hostname()
	return runs.Invocation{Version: version, Platform: platform(), Command: append([]string{"triad"}, e.args...), Host: host}
}

// program says which triad writes a manifest, where and by what command
// line: the build, and this invocation's command line and host.
func (e *env) program() runs.Program {
	b, inv := currentBuild(), e.invocation()
	return runs.Program{Version: b.Version, GoVersion: b.GoVersion, Commit: b.Commit, BuildDate: b.BuildDate,
		Platform: b.Platform, Command: inv.Command, Host: inv.Host}
}

// clock times work from now on, for a manifest.
func clock() runs.Timing { return runs.Timing{Start: time.Now(), Now: time.Now} }

// outputFile is a kind of single file that triad writes whole: the flag
// that names its path ("" for the NAME.yaml of triad init), what the kind
// is called, and what recognizes a file of that kind that triad wrote.
type outputFile struct {
	flag, what string
	ours       func(io.Reader) bool
}

// The single files that triad writes.
var (
	baselineFile = outputFile{"to", "a baseline", output.IsBaseline}
	junitFile    = outputFile{"junit", "a JUnit report of a check", output.IsCheckJUnit}
	summaryFile  = outputFile{"summary-md", "a Markdown report of a check", output.IsCheckMarkdown}
	starterFile  = outputFile{"", "a starter scenario", isStarter}
)

// prepare makes sure path can take a file of kind f: nothing there, an
// empty file, or with force a file of that kind that triad wrote (see
// runs.PrepareFile). The error names the flag.
func (f outputFile) prepare(path string, force bool) error {
	err := runs.PrepareFile(path, f.what, force, f.ours)
	if err != nil && f.flag != "" {
		return fmt.Errorf("--%s: %w", f.flag, err)
	}
	return err
}
