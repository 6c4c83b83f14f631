package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// experimentFlags are the flags that change the experiment a scenario
// runs; run, compare and check take them alike.
type experimentFlags struct {
	seed         uint64
	replications int
	steps        int
	sets         []string
	policies     []string
}

// experimentFlagNames are the names of the experiment flags.
var experimentFlagNames = []string{"seed", "replications", "steps", "set", "policy"}

// addFlags adds the experiment flags; whose says whose seed and replicates
// are the default ("the scenario's").
func (x *experimentFlags) addFlags(fs *pflag.FlagSet, whose string) {
	fs.Uint64Var(&x.seed, "seed", 0, "random seed (default: "+whose+")")
	fs.IntVar(&x.replications, "replications", 0, "replicates per sweep point (default: "+whose+")")
	fs.IntVar(&x.steps, "steps", 0, "steps per run (default: the scenario's)")
	fs.StringArrayVar(&x.sets, "set", nil, "set a parameter, PATH=VALUE (repeatable), e.g. regions.gba.p=0.002")
	fs.StringArrayVar(&x.policies, "policy", nil, "add a timed policy, 'at=STEP[,name=TEXT],PATH=VALUE,...' (repeatable)")
}

// apply makes the flags that were given override the scenario.
func (o *runOptions) apply(fs *pflag.FlagSet, cfg *sim.Config) error {
	var sw *sim.Sweep
	if len(o.sweeps) > 0 {
		var err error
		if sw, err = parseSweeps(o.sweeps); err != nil {
			return err
		}
	}
	return o.experimentFlags.apply(fs, cfg, sw, o.large)
}

// apply makes the experiment flags that were given override the scenario,
// replaces its sweep with sw unless sw is nil, and checks the result: it
// must be valid and within the caps (unless large).
func (x *experimentFlags) apply(fs *pflag.FlagSet, cfg *sim.Config, sw *sim.Sweep, large bool) error {
	if fs.Changed("seed") {
		cfg.Seed = x.seed
	}
	if fs.Changed("replications") {
		cfg.Replicates = x.replications
	}
	if fs.Changed("steps") {
		cfg.Steps = x.steps
	}
	if err := scenarios.Set(cfg, x.sets); err != nil {
		return &inputError{err}
	}
	if sw != nil {
		cfg.Sweep = sw
	}
	for k, p := range x.policies {
		pol, err := parsePolicy(p, k)
		if err != nil {
			return err
		}
		cfg.Policies = append(cfg.Policies, pol)
	}
	if err := scenarios.CheckSweepSize(cfg, caps(large)); err != nil {
		return &inputError{fmt.Errorf("after the command-line overrides:\n%w", err)}
	}
	if err := cfg.Validate(); err != nil {
		return &inputError{fmt.Errorf("after the command-line overrides:\n%w", err)}
	}
	if err := scenarios.CheckCaps(cfg, caps(large)); err != nil {
		return &inputError{fmt.Errorf("after the command-line overrides:\n%w", err)}
	}
	return nil
}

// parseSweeps reads --sweep PATH=V1,V2,... and --sweep PATH=FROM:TO:STEP
// into a grid sweep.
func parseSweeps(args []string) (*sim.Sweep, error) {
	sw := &sim.Sweep{Design: sim.DesignGrid}
	for _, a := range args {
		path, list, ok := strings.Cut(a, "=")
		if !ok || path == "" || list == "" {
			return nil, &inputError{fmt.Errorf("--sweep %s: want PATH=V1,V2,... or PATH=FROM:TO:STEP", a)}
		}
		p := sim.SweepParam{Path: strings.TrimSpace(path)}
		if parts := strings.Split(list, ":"); len(parts) == 3 {
			var vs [3]float64
			for i, s := range parts {
				v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
				if err != nil {
					return nil, &inputError{fmt.Errorf("--sweep %s: %q is not a number", a, s)}
				}
				vs[i] = v
			}
			p.From, p.To, p.Step = &vs[0], &vs[1], &vs[2]
		} else {
			for _, s := range strings.Split(list, ",") {
				v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
				if err != nil {
					return nil, &inputError{fmt.Errorf("--sweep %s: %q is not a number", a, s)}
				}
				p.Values = append(p.Values, v)
			}
		}
		sw.Params = append(sw.Params, p)
	}
	return sw, nil
}

// parsePolicy reads --policy 'at=STEP[,name=TEXT],PATH=VALUE,...'. A value
// in double quotes may hold commas; inside the quotes \" is a quote and \\
// a backslash: name="customs, phase 1".
func parsePolicy(arg string, k int) (sim.Policy, error) {
	p := sim.Policy{At: -1, Name: fmt.Sprintf("policy %d (command line)", k+1), Set: map[string]float64{}}
	bad := func(format string, args ...any) (sim.Policy, error) {
		return p, &inputError{fmt.Errorf("--policy %s: %s", arg, fmt.Sprintf(format, args...))}
	}
	items, err := splitPolicy(arg)
	if err != nil {
		return bad("%v", err)
	}
	seen := map[string]string{} // the item that gave each key
	for _, it := range items {
		key, val, ok := it.key, it.val, it.eq
		if !ok || key == "" {
			return bad("want KEY=VALUE, got %q", it.raw)
		}
		if first, ok := seen[key]; ok {
			return bad("%s repeats %s; give each key once", it.raw, first)
		}
		seen[key] = it.raw
		switch key {
		case "at":
			n, err := strconv.Atoi(val)
			if err != nil {
				return bad("at=%s is not a whole number", val)
			}
			p.At = n
		case "name":
			p.Name = val
		default:
			v, err := strconv.ParseFloat(val, 64)
			if err != nil {
				return bad("%s=%s: %q is not a number", key, val, val)
			}
			p.Set[key] = v
		}
	}
	if p.At < 0 {
		return bad("give the step with at=STEP")
	}
	return p, nil
}

// policyItem is one KEY=VALUE of a --policy argument, unquoted.
type policyItem struct {
	raw, key, val string
	eq            bool
}

// splitPolicy splits a --policy argument at the commas outside double
// quotes into trimmed keys and values; a quoted value is taken as it is
// between its quotes, with \" for a quote and \\ for a backslash.
func splitPolicy(arg string) ([]policyItem, error) {
	var items []policyItem
	var it policyItem
	var buf, raw strings.Builder
	quoted := false // the value was quoted: keep its spaces
	inQuote := false
	end := func() {
		it.raw = raw.String()
		if it.eq {
			it.val = buf.String()
			if !quoted {
				it.val = strings.TrimSpace(it.val)
			}
		} else {
			it.key = strings.TrimSpace(buf.String())
		}
		items = append(items, it)
		it, quoted = policyItem{}, false
		buf.Reset()
		raw.Reset()
	}
	for i := 0; i < len(arg); i++ {
		c := arg[i]
		switch {
		case inQuote && c == '\\' && i+1 < len(arg) && (arg[i+1] == '"' || arg[i+1] == '\\'):
			i++
			raw.WriteByte(c)
			raw.WriteByte(arg[i])
			buf.WriteByte(arg[i])
			continue
		case inQuote && c == '"':
			inQuote = false
		case inQuote:
			buf.WriteByte(c)
		case c == '"':
			if !it.eq || strings.TrimSpace(buf.String()) != "" || quoted {
				return nil, fmt.Errorf("a quote may only open a value, right after =: %q", raw.String()+`"`)
			}
			buf.Reset()
			inQuote, quoted = true, true
		case c == ',':
			end()
			continue
		case c == '=' && !it.eq:
			it.eq, it.key = true, strings.TrimSpace(buf.String())
			buf.Reset()
		case quoted:
			if c != ' ' {
				return nil, fmt.Errorf("text after the closing quote in %q: put a comma between changes", raw.String()+string(c))
			}
		default:
			buf.WriteByte(c)
		}
		raw.WriteByte(c)
	}
	if inQuote {
		return nil, fmt.Errorf("a quote is not closed in %q", raw.String())
	}
	end()
	return items, nil
}
