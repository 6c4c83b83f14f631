package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
)

// holderFor is this process as the lock file of a folder names it, for
// command (the words after "triad").
func holderFor(command string) runs.Holder {
	host, _ := os.Hostname()
	return runs.Holder{Command: command, Host: host, Since: time.Now()}
}

// owner is this process as it works in the folders of its command line
// (their locks name it), with the home folder that is never replaced.
func owner(e *env) runs.Owner {
	return runs.Owner{Holder: holderFor(runs.LockCommand(e.args...)), Home: homeDir()}
}

// advice is what to do about a, in the words of the command line, to
// follow its text.
func advice(a *runs.Advice) string {
	switch a.Fix {
	case runs.FixReplace:
		return "; add --force to replace it or choose another with --out"
	case runs.FixResumeOrReplace:
		return "; it holds a stopped run: finish it with 'triad run --resume " + a.Dir + "', or add --force to replace it or choose another with --out"
	case runs.FixOtherFolder:
		return "; choose another with --out"
	case runs.FixRestartShard:
		return "; add --force to start the shard again"
	case runs.FixReplaceShard:
		return "; add --force to replace it, or choose another --out"
	case runs.FixSameSplit:
		return "; run every shard with the same --shard I/N, or choose another --out"
	case runs.FixSameScenario:
		return "; run this shard with the same scenario and flags as the others, or choose another --out"
	case runs.FixStartShards:
		return "; run them with 'triad run SCENARIO --shard I/N --out " + a.Dir + "'"
	case runs.FixOtherFile:
		return "; choose another file"
	case runs.FixNeverReplaced:
		return ", even with --force; choose another file"
	case runs.FixReplaceFile:
		return "; add --force to replace it or choose another file"
	case runs.FixResume:
		return ": finish it with 'triad run --resume " + a.Dir + "'"
	case runs.FixRerun:
		return ": run it again with 'triad run --resume " + a.Dir + "'"
	case runs.FixRemoveRun:
		return "; remove it and run it again with 'triad run --resume " + a.Dir + "' (or run the scenario again into a new folder)"
	case runs.FixElseRemoveRun:
		return "; else remove it and run it again with 'triad run --resume " + a.Dir + "' (or run the scenario again into a new folder)"
	case runs.FixRemoveAndResume:
		return "; remove it and run 'triad run --resume " + a.Dir + "', which writes it again"
	case runs.FixRemake:
		return ": make them again with 'triad run --resume " + a.Dir + "'"
	case runs.FixRewrite:
		return "; write them again with 'triad run --resume " + a.Dir + "'"
	case runs.FixMerge:
		return ": merge the shards with 'triad merge " + a.Dir + "' and give that folder"
	case runs.FixResumeFit:
		return "; if none of its processes runs, continue it with 'triad fit --resume " + a.Dir + "' (with --shard I/N where several share it)"
	case runs.FixResumeFitOrReplace:
		return "; continue it with triad fit --resume " + a.Dir + ", add --force to start again or choose another with --out"
	}
	return ""
}

// message is the text of err for the user: with the advice of the
// folder protocol's error it holds, if any, in the command's words.
func message(err error) string {
	if a, ok := errors.AsType[*runs.Advice](err); ok {
		return err.Error() + advice(a)
	}
	return err.Error()
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
// folder dir because triad did not write it (see runs.KeptNote).
func noteKept(e *env, dir string, quiet bool) {
	if note := runs.KeptNote(dir); !quiet && note != "" {
		fmt.Fprintf(e.stderr, "triad: %s\n", note)
	}
}

// invocation is this triad and its command line, as a manifest records
// them.
func (e *env) invocation() runs.Invocation {
	host, _ := os.Hostname()
	return runs.Invoked(version, host, e.args)
}

// program says which triad writes a manifest, where and by what command
// line: the build, and this invocation's command line and host.
func (e *env) program() runs.Program {
	return runs.Build(version, commit, buildDate).RunAs(e.invocation())
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
	starterFile  = outputFile{"", "a starter scenario", scenarios.IsStarter}
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
