package main

import (
	"embed"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
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
var shells = []string{"bash", "zsh", "fish"}

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

// completion is what __complete answers.
type completion struct {
	cands []string
	// what else the shell should offer: nospace, yaml, dirs, files.
	also []string
}

func runComplete(e *env, args []string) error {
	if len(args) == 0 {
		args = []string{""}
	}
	c := complete(args)
	for _, s := range c.cands {
		fmt.Fprintln(e.stdout, s)
	}
	fmt.Fprintln(e.stdout, ":"+strings.Join(c.also, " "))
	return nil
}

// complete returns the candidates for the last of words, the words after
// "triad" up to the cursor.
func complete(words []string) completion {
	cur := words[len(words)-1]
	if len(words) == 1 {
		return completion{cands: filter(commandNames(), cur)}
	}
	name := words[0]
	fs := flagsOf(name)
	if fs == nil {
		if name == "help" && len(words) == 2 {
			return completion{cands: filter(commandNames(), cur)}
		}
		return completion{}
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
		return completeValue(name, pending.Name, "", cur, pos)
	case !dashdash && strings.HasPrefix(cur, "--") && strings.Contains(cur, "="):
		n, v, _ := strings.Cut(cur[2:], "=")
		return completeValue(name, n, "--"+n+"=", v, pos)
	case !dashdash && strings.HasPrefix(cur, "-") && cur != "-":
		var names []string
		fs.VisitAll(func(f *pflag.Flag) {
			if !f.Hidden {
				names = append(names, "--"+f.Name)
			}
		})
		names = append(names, "--help")
		return completion{cands: filter(names, cur)}
	}
	return completeArg(name, len(pos), cur)
}

// commandNames lists the commands, help included.
func commandNames() []string {
	var ns []string
	for _, c := range commands {
		ns = append(ns, c.name)
	}
	return append(ns, "help")
}

// completeArg completes the n-th positional argument of a command.
func completeArg(cmd string, n int, cur string) completion {
	builtins := func() (ns []string) {
		for _, in := range scenarios.List() {
			ns = append(ns, in.Name)
		}
		return ns
	}
	switch cmd {
	case "run", "sensitivity":
		if n == 0 {
			return completion{filter(builtins(), cur), []string{"yaml"}}
		}
	case "validate":
		if n == 0 {
			return completion{filter(append(builtins(), "-"), cur), []string{"yaml"}}
		}
	case "show":
		if n == 0 {
			return completion{cands: filter(builtins(), cur)}
		}
	case "compare":
		return completion{filter(builtins(), cur), []string{"yaml", "dirs"}}
	case "check":
		if n == 0 {
			return completion{filter(builtins(), cur), []string{"yaml", "dirs"}}
		}
	case "report", "merge", "status", "baseline":
		if n == 0 {
			return completion{also: []string{"dirs"}}
		}
	case "completion":
		if n == 0 {
			return completion{cands: filter(shells, cur)}
		}
	}
	return completion{}
}

// completeValue completes the value of flag name of a command; prefix goes
// before each candidate (--set= when the value is in the same word) and
// pos are the positional arguments given so far.
func completeValue(cmd, name, prefix, cur string, pos []string) completion {
	with := func(c completion) completion {
		for i := range c.cands {
			c.cands[i] = prefix + c.cands[i]
		}
		return c
	}
	switch name {
	case "set", "sweep", "param":
		cfg := completionScenario(pos)
		paths := cfg.Paths(name != "set")
		if name != "set" {
			paths = slices.DeleteFunc(paths, func(p string) bool { return p == "steps" || p == "replications" })
		}
		return with(completion{filter(suffixed(paths, "="), cur), []string{"nospace"}})
	case "policy":
		// Complete the last KEY of 'at=STEP,name=TEXT,PATH=VALUE,...'.
		done, last := "", cur
		if i := strings.LastIndexByte(cur, ','); i >= 0 {
			done, last = cur[:i+1], cur[i+1:]
		}
		if strings.Contains(last, "=") {
			return completion{}
		}
		keys := []string{"at", "name"}
		cfg := completionScenario(pos)
		for _, p := range cfg.Paths(true) {
			if policyPath(p) {
				keys = append(keys, p)
			}
		}
		var cands []string
		for _, k := range filter(keys, last) {
			cands = append(cands, done+k+"=")
		}
		return with(completion{cands, []string{"nospace"}})
	case "method":
		return with(completion{cands: filter([]string{sim.DesignMorris, sim.DesignSobol}, cur)})
	case "metric":
		return with(completion{cands: filter(metricNames, cur)})
	case "out", "resume":
		return completion{also: []string{"dirs"}}
	case "baseline", "to", "junit", "summary-md":
		return completion{also: []string{"files"}}
	}
	return completion{}
}

// metricNames are the figures --metric takes.
var metricNames = []string{sim.MetricT50, sim.MetricT50KM, sim.MetricReached50, sim.MetricFinalAdoption,
	sim.MetricAdoptionAt24, sim.MetricAdoptionAt60, sim.MetricCommercialShare, sim.MetricCommercialized,
	sim.MetricDiscovered, sim.MetricLost, sim.MetricLagMedian, sim.MetricCommercialRate}

// policyPath reports whether a timed policy may change the parameter at
// path.
func policyPath(path string) bool {
	name := path
	if scope, rest, ok := strings.Cut(path, "."); ok && (scope == "regions" || scope == "cities" || scope == "links") {
		name = rest[strings.IndexByte(rest, '.')+1:]
		if scope == "links" {
			name = rest[strings.LastIndexByte(rest, '.')+1:]
		}
	}
	for _, p := range sim.Params {
		if p.Name == name {
			return p.Policy
		}
	}
	return false
}

// completionScenario is the scenario whose paths --set and --sweep offer:
// the first positional argument (a file, a built-in name or an output
// folder) when it loads, else the built-in three-hubs.
func completionScenario(pos []string) sim.Config {
	if len(pos) > 0 {
		arg := pos[0]
		if st, err := os.Stat(arg); err == nil && st.IsDir() {
			if m, err := runs.ReadManifest(arg); err == nil {
				return m.Scenario
			}
		} else if name, src, err := scenarios.Resolve(arg, readScenarioFile); err == nil {
			if cfg, err := scenarios.LoadCapped(name, src, scenarios.NoCaps); err == nil {
				return cfg
			}
		}
	}
	src, _ := scenarios.Source("three-hubs")
	cfg, err := scenarios.Load("three-hubs", src)
	if err != nil {
		panic("three-hubs does not load: " + err.Error())
	}
	return cfg
}

// suffixed returns ss, each with suffix.
func suffixed(ss []string, suffix string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s + suffix
	}
	return out
}

// filter returns the candidates that start with prefix.
func filter(cands []string, prefix string) []string {
	var out []string
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}
