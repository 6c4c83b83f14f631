package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// Exit codes.
const (
	exitOK        = 0
	exitFailure   = 1 // the work failed, or a check found a failure
	exitUsage     = 2 // bad usage or bad input
	exitInterrupt = 130
)

// usageError is a mistake on the command line: exit 2 with the command's
// short usage.
type usageError struct {
	cmd string
	err error
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// inputError is bad input, such as an invalid scenario: exit 2.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// interruptedError is a command stopped by a signal: exit 130 with its
// message, which says what was kept and how to go on, and nothing of the
// context.Canceled it wraps.
type interruptedError struct{ msg string }

func (e *interruptedError) Error() string { return e.msg }
func (e *interruptedError) Unwrap() error { return context.Canceled }

// failedError means the command ran and found a failure (a regression, a
// missing shard): exit 1 after printing its message.
type failedError struct{ err error }

func (e *failedError) Error() string { return e.err.Error() }
func (e *failedError) Unwrap() error { return e.err }

// inputErrors are the output folder protocol's errors that mean bad input
// (exit 2): a folder or file that is not ours or not to be replaced, in
// use, stopped, damaged or mixed. Its other errors,
// runs.ErrShardsNotDone among them, are failures (exit 1).
var inputErrors = []error{
	runs.ErrNotOurFolder, runs.ErrExists, runs.ErrNotOurFile, runs.ErrFileExists, runs.ErrInaccessible,
	runs.ErrIncomplete, runs.ErrLocked, runs.ErrNoShards, runs.ErrMixedShards, runs.ErrRunCorrupt, runs.ErrRunForeign, runs.ErrBadFile,
	runs.ErrComparison,
}

// isInputError reports whether err is one of inputErrors.
func isInputError(err error) bool {
	for _, target := range inputErrors {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

func usagef(cmd, format string, args ...any) error {
	return &usageError{cmd, fmt.Errorf(format, args...)}
}

// env is what a command may touch of the outside world.
type env struct {
	ctx context.Context
	// stdin is the standard input (nil: none), read by validate -.
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// stderrTTY is true when stderr is a terminal (progress bars).
	stderrTTY bool
	// args is the command line after the program's name, as run.
	args []string
	// capture, when set, receives the command's flag set at parse, and
	// the command stops there (see flagsOf).
	capture **pflag.FlagSet
	// runDone, when set, receives every run execute finishes (triad
	// serve streams them to its page).
	runDone func(*sim.RunResult)
	// runStep and runCities, when set, watch every step of the runs
	// execute computes (triad serve's live curves and city view).
	runStep   func(point, replicate, step int, rows []sim.Row)
	runCities func(point, replicate, step int, shares []float64)
}

// command is one subcommand: its name, the one line the main help shows,
// its usage line, its long help (-h) and what runs it. The one table of
// them below is all that dispatch, help, usage errors and completion read,
// so they cannot disagree.
type command struct {
	name, summary, usage, help string
	run                        func(e *env, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{name: "run", summary: "run a scenario and write tables, plots and a manifest", usage: usageRun, help: helpRun, run: runRun},
		{name: "list", summary: "list the built-in scenarios", usage: usageList, help: helpList, run: runList},
		{name: "show", summary: "print a built-in scenario's YAML, to copy and edit", usage: usageShow, help: helpShow, run: runShow},
		{name: "validate", summary: "check a scenario file and report every problem", usage: usageValidate, help: helpValidate, run: runValidate},
		{name: "init", summary: "write a commented starter scenario NAME.yaml to edit", usage: usageInit, help: helpInit, run: runInit},
		{name: "report", summary: "rebuild report.html, the one-page report, of an output folder", usage: usageReport, help: helpReport, run: runReport},
		{name: "sensitivity", summary: "which assumption drives the answer: Morris or Sobol sensitivity indices", usage: usageSensitivity, help: helpSensitivity, run: runSensitivity},
		{name: "compare", summary: "compare scenarios or finished runs: paired differences with 95 % CIs, effect sizes, adjusted p", usage: usageCompare, help: helpCompare, run: runCompare},
		{name: "fit", summary: "fit chosen parameters to observed figures (ABC-SMC) and write the fitted scenario", usage: usageFit, help: helpFit, run: runFit},
		{name: "baseline", summary: "record a finished run's metrics as a baseline for check", usage: usageBaseline, help: helpBaseline, run: runBaseline},
		{name: "check", summary: "check a run or scenario against a baseline with statistical tolerances", usage: usageCheck, help: helpCheck, run: runCheck},
		{name: "merge", summary: "merge the shards of a sharded run into the tables and plots", usage: usageMerge, help: helpMerge, run: runMerge},
		{name: "status", summary: "show which shards of a sharded run are done, running or missing", usage: usageStatus, help: helpStatus, run: runStatus},
		{name: "serve", summary: "explore scenarios in the browser: a local page with sliders, live curves and comparisons", usage: usageServe, help: helpServe, run: runServe},
		{name: "version", summary: "print the version, commit, build date and Go version", usage: usageVersion, help: helpVersion, run: runVersion},
		{name: "completion", summary: "print the shell completion script for bash, zsh or fish", usage: usageCompletion, help: completionHelp, run: runCompletion},
	}
}

// run is the whole program without a standard input: it returns the exit
// code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runIO(ctx, args, nil, stdout, stderr)
}

// runIO is run with a standard input.
func runIO(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// Names and values echoed from files and arguments (a baseline's
	// metrics, a manifest's scenario name, a file's name) must not drive
	// the terminal: whatever the commands print goes through one filter.
	out := &printableWriter{w: stdout}
	e := &env{ctx: ctx, stdin: stdin, stdout: out, stderr: stderr, stderrTTY: isTerminal(stderr), args: args}
	err := dispatchSafely(e, args)
	out.flush()
	stderr = &printableWriter{w: stderr}
	var ue *usageError
	var ie *inputError
	var fe *failedError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, pflag.ErrHelp):
		return exitOK
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		var ie *interruptedError
		if errors.As(err, &ie) {
			fmt.Fprintf(stderr, "triad: %v\n", ie)
		} else {
			fmt.Fprintln(stderr, "triad: interrupted")
		}
		return exitInterrupt
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "triad: %v\n", err)
		if ue.cmd != "" {
			fmt.Fprintf(stderr, "usage: %s\nrun 'triad %s --help' for more\n", commandNamed(ue.cmd).usage, ue.cmd)
		} else {
			fmt.Fprintf(stderr, "run 'triad --help' for the commands\n")
		}
		return exitUsage
	case errors.As(err, &ie) || isInputError(err):
		fmt.Fprintf(stderr, "triad: %v\n", err)
		return exitUsage
	case errors.As(err, &fe):
		fmt.Fprintf(stderr, "triad: %v\n", err)
		return exitFailure
	default:
		fmt.Fprintf(stderr, "triad: %v\n", err)
		return exitFailure
	}
}

// dispatchSafely is dispatch with a last line of defence: a panic (a bug
// in triad, which tests hunt for) becomes an error message without a
// stack trace.
func dispatchSafely(e *env, args []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v; this is a bug in triad: please report it with the command that caused it", r)
		}
	}()
	return dispatch(e, args)
}

// printableWriter escapes control characters other than newline and tab
// (see scenarios.Printable) in what is written through it. A character
// that one write cuts is held until the next completes it.
type printableWriter struct {
	w    io.Writer
	rest []byte // the start of a character cut at the end of a write
}

func (p *printableWriter) Write(b []byte) (int, error) {
	buf := append(p.rest, b...)
	cut := len(buf)
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-utf8.UTFMax; i-- {
		if utf8.RuneStart(buf[i]) {
			if !utf8.FullRune(buf[i:]) {
				cut = i
			}
			break
		}
	}
	p.rest = append([]byte(nil), buf[cut:]...)
	if _, err := io.WriteString(p.w, scenarios.Printable(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(b), nil
}

// flush writes what a cut character left held, escaped.
func (p *printableWriter) flush() {
	if len(p.rest) > 0 {
		io.WriteString(p.w, scenarios.Printable(string(p.rest)))
		p.rest = nil
	}
}

func dispatch(e *env, args []string) error {
	if len(args) == 0 {
		return usagef("", "no command given")
	}
	name := args[0]
	switch name {
	case "-h", "--help", "help":
		if len(args) > 1 && name == "help" {
			return dispatch(e, []string{args[1], "--help"})
		}
		fmt.Fprint(e.stdout, mainHelp())
		return nil
	case "--version":
		return runVersion(e, args[1:])
	case "__complete":
		return runComplete(e, args[1:])
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(e, args[1:])
		}
	}
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	if s := sim.Closest(name, names, max(1, len(name)/3)); s != "" {
		return usagef("", "unknown command %q; did you mean %s?", name, s)
	}
	return usagef("", "unknown command %q", name)
}

func mainHelp() string {
	var b strings.Builder
	b.WriteString(helpMain)
	b.WriteString("\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-11s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun 'triad COMMAND --help' for a command's flags.\n")
	b.WriteString(helpExit)
	return b.String()
}

// newFlags returns the flag set of a subcommand; --help prints the long help
// to stdout.
func newFlags(e *env, name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.Usage = func() {}
	return fs
}

// parse parses args; a parse error is a usage error and --help prints the
// command's help to stdout.
func parse(e *env, fs *pflag.FlagSet, args []string) error {
	if e.capture != nil {
		*e.capture = fs
		return errFlagsOnly
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			c := commandNamed(fs.Name())
			fmt.Fprintf(e.stdout, "usage: %s\n\n%s\nFlags:\n%s", c.usage, c.help, fs.FlagUsages())
			return err
		}
		return &usageError{fs.Name(), err}
	}
	// An empty value never means the default: --out '' or --resume ''
	// is a script's empty variable, not a wish for out/NAME or a new run.
	var blank error
	fs.Visit(func(f *pflag.Flag) {
		if blank == nil && f.Value.Type() == "string" && strings.TrimSpace(f.Value.String()) == "" {
			blank = &usageError{fs.Name(), fmt.Errorf("--%s needs a value; leave the flag out for its default", f.Name)}
		}
	})
	return blank
}

// commandNamed returns the command called name from the table (the zero
// command when there is none).
func commandNamed(name string) command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return command{}
}
