package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

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
}

// command is one subcommand: its name, the one line the main help shows
// and its options, which add its flags to a flag set and run it once they
// are parsed; its usage and long help (-h) are the text file help/NAME.txt.
// The one table of them below is all that dispatch, help, usage errors
// and completion read, so they cannot disagree; completion and help add
// the flags and run nothing.
type command struct {
	name, summary string
	options       func() options
}

// usage is the command's usage, the first paragraph of its help file
// after "usage: ".
func (c command) usage() string {
	u, _, _ := strings.Cut(helpText(c.name), "\n\n")
	return strings.TrimPrefix(u, "usage: ")
}

// options are the flags of a command and what runs it with them.
type options interface {
	// addFlags adds the command's flags to fs, bound to the options.
	addFlags(fs *pflag.FlagSet)
	// execute runs the command once fs has parsed its flags into the
	// options; fs holds its arguments.
	execute(e *env, fs *pflag.FlagSet) error
}

// noFlags are the options of a command without flags: it runs the func.
type noFlags func(e *env, fs *pflag.FlagSet) error

func (noFlags) addFlags(*pflag.FlagSet)                   {}
func (f noFlags) execute(e *env, fs *pflag.FlagSet) error { return f(e, fs) }

var commands []command

func init() {
	commands = []command{
		{"run", "run a scenario and write tables, plots and a manifest", func() options { return new(runOptions) }},
		{"list", "list the built-in scenarios", func() options { return new(listOptions) }},
		{"show", "print a built-in scenario's YAML, to copy and edit", func() options { return new(showOptions) }},
		{"validate", "check a scenario file and report every problem", func() options { return new(validateOptions) }},
		{"init", "write a commented starter scenario NAME.yaml to edit", func() options { return new(initOptions) }},
		{"report", "rebuild report.html, the one-page report, of an output folder", func() options { return noFlags(runReport) }},
		{"sensitivity", "which assumption drives the answer: Morris or Sobol sensitivity indices", func() options { return new(sensitivityOptions) }},
		{"compare", "compare scenarios or finished runs: paired differences with 95 % CIs, effect sizes, adjusted p", func() options { return new(compareOptions) }},
		{"fit", "fit chosen parameters to observed figures (ABC-SMC) and write the fitted scenario", func() options { return new(fitOptions) }},
		{"optimize", "share a budget among levers for the best objective, answered on fresh seeds", func() options { return new(optimizeOptions) }},
		{"baseline", "record a finished run's metrics as a baseline for check", func() options { return new(baselineOptions) }},
		{"check", "check a run or scenario against a baseline with statistical tolerances", func() options { return new(checkOptions) }},
		{"merge", "merge the shards of a sharded run into the tables and plots", func() options { return noFlags(runMerge) }},
		{"status", "show which shards of a sharded run are done, running or missing", func() options { return new(statusOptions) }},
		{"serve", "explore scenarios in the browser: a local page with sliders, live curves and comparisons", func() options { return new(serveOptions) }},
		{"version", "print the version, commit, build date and Go version", func() options { return noFlags(runVersion) }},
		{"completion", "print the shell completion script for bash, zsh or fish", func() options { return noFlags(runCompletion) }},
	}
}

// flagsOf returns the flag set of the command called name, with its
// flags added and nothing run; nil for an unknown command.
func flagsOf(name string) *pflag.FlagSet {
	c := commandNamed(name)
	if c.options == nil {
		return nil
	}
	fs := newFlags(name)
	c.options().addFlags(fs)
	return fs
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
	out := &scenarios.PrintableWriter{W: stdout}
	e := &env{ctx: ctx, stdin: stdin, stdout: out, stderr: stderr, stderrTTY: isTerminal(stderr), args: args}
	err := dispatchSafely(e, args)
	out.Flush()
	stderr = &scenarios.PrintableWriter{W: stderr}
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
		fmt.Fprintf(stderr, "triad: %s\n", message(err))
		if ue.cmd != "" {
			fmt.Fprintf(stderr, "usage: %s\nrun 'triad %s --help' for more\n", commandNamed(ue.cmd).usage(), ue.cmd)
		} else {
			fmt.Fprintf(stderr, "run 'triad --help' for the commands\n")
		}
		return exitUsage
	case errors.As(err, &ie) || isInputError(err):
		fmt.Fprintf(stderr, "triad: %s\n", message(err))
		return exitUsage
	case errors.As(err, &fe):
		fmt.Fprintf(stderr, "triad: %s\n", message(err))
		return exitFailure
	default:
		fmt.Fprintf(stderr, "triad: %s\n", message(err))
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
		name = "version"
	case "__complete":
		return runComplete(e, args[1:])
	}
	if c := commandNamed(name); c.options != nil {
		o := c.options()
		fs := newFlags(name)
		o.addFlags(fs)
		if err := parse(e, fs, args[1:]); err != nil {
			return err
		}
		return o.execute(e, fs)
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
	b.WriteString(helpText("main"))
	b.WriteString("\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-11s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun 'triad COMMAND --help' for a command's flags.\n")
	b.WriteString(helpText("exit"))
	return b.String()
}

// newFlags returns the flag set of a subcommand; --help prints the long help
// to stdout.
func newFlags(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.Usage = func() {}
	return fs
}

// parse parses args; a parse error is a usage error and --help prints the
// command's help to stdout.
func parse(e *env, fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(e.stdout, "%s\nFlags:\n%s", helpText(fs.Name()), fs.FlagUsages())
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
