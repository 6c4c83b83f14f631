// Package complete is what shell completion offers for a word of a triad
// command line: built-in scenarios, the parameter paths of the scenario
// being completed, policy keys, metrics and shells, and which files the
// shell should offer besides. The command gives the flags of its command
// table (Flag); this package walks the words and knows the candidates.
package complete

import (
	"os"
	"slices"
	"strings"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// Result is what completion answers: the candidates, and what else the
// shell should offer: "nospace" (the candidate ends in = and a value
// follows), "yaml" (*.yaml and *.yml files too), "dirs" (folders),
// "files" (any file).
type Result struct {
	Cands []string
	Also  []string
}

// Shells are the shells that triad completion writes scripts for.
var Shells = []string{"bash", "zsh", "fish"}

// readFile reads a scenario file as the command does: a regular file of
// at most scenarios.MaxSize bytes.
func readFile(path string) ([]byte, error) {
	return runs.ReadFile(path, "a scenario file", scenarios.MaxSize)
}

// Arg completes the n-th positional argument of command cmd.
func Arg(cmd string, n int, cur string) Result {
	builtins := func() (ns []string) {
		for _, in := range scenarios.List() {
			ns = append(ns, in.Name)
		}
		return ns
	}
	switch cmd {
	case "run", "sensitivity":
		if n == 0 {
			return Result{Filter(builtins(), cur), []string{"yaml"}}
		}
	case "validate":
		if n == 0 {
			return Result{Filter(append(builtins(), "-"), cur), []string{"yaml"}}
		}
	case "show":
		if n == 0 {
			return Result{Cands: Filter(builtins(), cur)}
		}
	case "compare":
		return Result{Filter(builtins(), cur), []string{"yaml", "dirs"}}
	case "check":
		if n == 0 {
			return Result{Filter(builtins(), cur), []string{"yaml", "dirs"}}
		}
	case "report", "merge", "status", "baseline":
		if n == 0 {
			return Result{Also: []string{"dirs"}}
		}
	case "completion":
		if n == 0 {
			return Result{Cands: Filter(Shells, cur)}
		}
	}
	return Result{}
}

// Value completes the value of flag name of command cmd; prefix goes
// before each candidate (--set= when the value is in the same word) and
// pos are the positional arguments given so far.
func Value(cmd, name, prefix, cur string, pos []string) Result {
	with := func(c Result) Result {
		for i := range c.Cands {
			c.Cands[i] = prefix + c.Cands[i]
		}
		return c
	}
	switch name {
	case "set", "sweep", "param":
		cfg := scenarioOf(pos)
		paths := cfg.Paths(name != "set")
		if name != "set" {
			paths = slices.DeleteFunc(paths, func(p string) bool { return p == "steps" || p == "replications" })
		}
		return with(Result{Filter(suffixed(paths, "="), cur), []string{"nospace"}})
	case "policy":
		// Complete the last KEY of 'at=STEP,name=TEXT,PATH=VALUE,...'.
		done, last := "", cur
		if i := strings.LastIndexByte(cur, ','); i >= 0 {
			done, last = cur[:i+1], cur[i+1:]
		}
		if strings.Contains(last, "=") {
			return Result{}
		}
		keys := []string{"at", "name"}
		cfg := scenarioOf(pos)
		for _, p := range cfg.Paths(true) {
			if policyPath(p) {
				keys = append(keys, p)
			}
		}
		var cands []string
		for _, k := range Filter(keys, last) {
			cands = append(cands, done+k+"=")
		}
		return with(Result{cands, []string{"nospace"}})
	case "method":
		return with(Result{Cands: Filter([]string{sim.DesignMorris, sim.DesignSobol}, cur)})
	case "metric":
		return with(Result{Cands: Filter(metricNames, cur)})
	case "out", "resume":
		return Result{Also: []string{"dirs"}}
	case "baseline", "to", "junit", "summary-md":
		return Result{Also: []string{"files"}}
	}
	return Result{}
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

// scenarioOf is the scenario whose paths --set and --sweep offer:
// the first positional argument (a file, a built-in name or an output
// folder) when it loads, else the built-in three-hubs.
func scenarioOf(pos []string) sim.Config {
	if len(pos) > 0 {
		arg := pos[0]
		if st, err := os.Stat(arg); err == nil && st.IsDir() {
			if m, err := runs.ReadManifest(arg); err == nil {
				return m.Scenario
			}
		} else if name, src, err := scenarios.Resolve(arg, readFile); err == nil {
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

// Filter returns the candidates that start with prefix.
func Filter(cands []string, prefix string) []string {
	var out []string
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}
