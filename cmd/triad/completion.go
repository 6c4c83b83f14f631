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
// after "triad" up to the cursor.
func completeWords(words []string) complete.Result {
	cur := words[len(words)-1]
	if len(words) == 1 {
		return complete.Result{Cands: complete.Filter(commandNames(), cur)}
	}
	name := words[0]
	fs := flagsOf(name)
	if fs == nil {
		if name == "help" && len(words) == 2 {
			return complete.Result{Cands: complete.Filter(commandNames(), cur)}
		}
		return complete.Result{}
	}
	// Walk the words before the cursor: positional arguments, and whether
	// the last one is a flag that waits for its value.
	var pos []string
	var pending *pflag.Flag
	dashdash := false
	for _, w := range words[1 : len(words)-1] {
		if pending != nil {
			pending = nil
			continue
		}
		switch {
		case dashdash || w == "-" || !strings.HasPrefix(w, "-"):
			pos = append(pos, w)
		case w == "--":
			dashdash = true
		case strings.HasPrefix(w, "--"):
			if n, _, hasValue := strings.Cut(w[2:], "="); !hasValue {
				if f := fs.Lookup(n); f != nil && f.NoOptDefVal == "" {
					pending = f
				}
			}
		case len(w) == 2:
			if f := fs.ShorthandLookup(w[1:]); f != nil && f.NoOptDefVal == "" {
				pending = f
			}
		}
	}
	switch {
	case pending != nil:
		return complete.Value(name, pending.Name, "", cur, pos)
	case !dashdash && strings.HasPrefix(cur, "--") && strings.Contains(cur, "="):
		n, v, _ := strings.Cut(cur[2:], "=")
		return complete.Value(name, n, "--"+n+"=", v, pos)
	case !dashdash && strings.HasPrefix(cur, "-") && cur != "-":
		var names []string
		fs.VisitAll(func(f *pflag.Flag) {
			if !f.Hidden {
				names = append(names, "--"+f.Name)
			}
		})
		names = append(names, "--help")
		return complete.Result{Cands: complete.Filter(names, cur)}
	}
	return complete.Arg(name, len(pos), cur)
}

// commandNames lists the commands, help included.
func commandNames() []string {
	var ns []string
	for _, c := range commands {
		ns = append(ns, c.name)
	}
	return append(ns, "help")
}
