package main

import (
	"embed"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/internal/complete"
)

// Shell completion works as cobra's does, without cobra: `triad
// completion SHELL` prints a static script (completion/), which calls the
// hidden `triad __complete WORDS...` with the words up to the cursor, the
// last (maybe empty) being the one to complete. __complete prints the
// candidates that start with it, one per line, then ":" and what else the
// shell should offer: "nospace" (the candidate ends in = and a value
// follows), "yaml" (*.yaml and *.yml files too), "dirs" (folders), "files"
// (any file). What it knows (commands, their flags from the command
// table, built-in scenarios, parameter paths) stays in Go, so the scripts
// never change.

// shells are the shells triad completion writes scripts for.
var shells = complete.Shells

func runCompletion(e *env, fs *pflag.FlagSet) error {
	if fs.NArg() != 1 {
		return usagef("completion", "completion takes one shell: bash, zsh or fish")
	}
	script, ok := completionScript(fs.Arg(0))
	if !ok {
		return usagef("completion", "no completion for %q: the shells are bash, zsh and fish", fs.Arg(0))
	}
	_, err := io.WriteString(e.stdout, script)
	return err
}

// scripts holds the completion scripts, which ask `triad __complete`.
//
//go:embed completion
var scripts embed.FS

// completionScript returns the script for shell, completion/triad.SHELL,
// and false for a shell without one.
func completionScript(shell string) (string, bool) {
	b, err := scripts.ReadFile("completion/triad." + shell)
	return string(b), err == nil
}

func runComplete(e *env, args []string) error {
	if len(args) == 0 {
		args = []string{""}
	}
	c := completeWords(args)
	for _, s := range c.Cands {
		fmt.Fprintln(e.stdout, s)
	}
	fmt.Fprintln(e.stdout, ":"+strings.Join(c.Also, " "))
	return nil
}

// completeWords returns the candidates for the last of words, the words
// after "triad" up to the cursor, from the command table's flags.
func completeWords(words []string) complete.Result {
	return complete.Words(words, commandNames(), func(name string) ([]complete.Flag, bool) {
		fs := flagsOf(name)
		if fs == nil {
			return nil, false
		}
		var flags []complete.Flag
		fs.VisitAll(func(f *pflag.Flag) {
			flags = append(flags, complete.Flag{Name: f.Name, Shorthand: f.Shorthand, Switch: f.NoOptDefVal != "", Hidden: f.Hidden})
		})
		return flags, true
	})
}

// commandNames lists the commands, help included.
func commandNames() []string {
	var ns []string
	for _, c := range commands {
		ns = append(ns, c.name)
	}
	return append(ns, "help")
}
