package scenarios

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/triad-sim/triad/sim"
)

// Overrides are the changes a command (run, compare, sensitivity, check,
// fit) or the explorer makes to a loaded scenario before it runs it: the
// seed, replications and steps, --set assignments, a sweep that replaces the
// scenario's (or none), timed policies added, and the caps the result must
// keep. A nil field or an empty list leaves the scenario's own.
type Overrides struct {
	Seed         *uint64
	Replications *int
	Steps        *int
	// Sets are PATH=VALUE assignments, applied in order (see Set).
	Sets []string
	// Sweeps are --sweep arguments, PATH=V1,V2,... or PATH=FROM:TO:STEP,
	// that make a grid sweep replacing the scenario's (see ParseSweeps).
	// Sweep is a sweep made otherwise (a sensitivity design) that
	// replaces the scenario's when Sweeps is empty; NoSweep drops the
	// scenario's sweep instead.
	Sweeps  []string
	Sweep   *sim.Sweep
	NoSweep bool
	// Policies are --policy arguments, 'at=STEP[,name=TEXT],PATH=VALUE,...'
	// (see ParsePolicy), added after the scenario's own.
	Policies []string
	// Posterior, when set, draws the values of some parameters for each
	// replicate from a fit's final population (see sim.Posterior): a
	// posterior predictive run.
	Posterior *sim.Posterior
	// Caps bound the scenario that results (NoCaps for none).
	Caps Caps
}

// OverriddenError is a problem of the scenario that the overrides made
// (a sweep too large, a value out of range, a cap exceeded), as opposed to
// an override that cannot be read or applied. The command says "after the
// command-line overrides", the explorer "after the changes made on the
// page".
type OverriddenError struct{ Err error }

func (e *OverriddenError) Error() string { return e.Err.Error() }
func (e *OverriddenError) Unwrap() error { return e.Err }

// Apply makes the overrides change cfg, a config as Load returns it, and
// checks the result: its sweep's size before anything else (so that a huge
// sweep costs nothing), then its validity and its caps, problems that come
// wrapped in an *OverriddenError. The overrides are applied in a fixed
// order: the sweep arguments are read first, then the seed, replications and
// steps are set, the assignments applied, the sweep replaced, the
// policies added and the posterior set. On error cfg may be partly changed.
func (o *Overrides) Apply(cfg *sim.Config) error {
	sw := o.Sweep
	if len(o.Sweeps) > 0 {
		var err error
		if sw, err = ParseSweeps(o.Sweeps); err != nil {
			return err
		}
	}
	if o.Seed != nil {
		cfg.Seed = *o.Seed
	}
	if o.Replications != nil {
		cfg.Replicates = *o.Replications
	}
	if o.Steps != nil {
		cfg.Steps = *o.Steps
	}
	if err := Set(cfg, o.Sets); err != nil {
		return err
	}
	switch {
	case o.NoSweep:
		cfg.Sweep = nil
	case sw != nil:
		cfg.Sweep = sw
	}
	for k, p := range o.Policies {
		pol, err := ParsePolicy(p, k)
		if err != nil {
			return err
		}
		cfg.Policies = append(cfg.Policies, pol)
	}
	if o.Posterior != nil {
		cfg.Posterior = o.Posterior
	}
	if err := CheckSweepSize(cfg, o.Caps); err != nil {
		return &OverriddenError{err}
	}
	if err := cfg.Validate(); err != nil {
		return &OverriddenError{err}
	}
	if err := CheckCaps(cfg, o.Caps); err != nil {
		return &OverriddenError{err}
	}
	return nil
}

// ParseSweeps reads --sweep PATH=V1,V2,... and --sweep PATH=FROM:TO:STEP
// arguments into a grid sweep.
func ParseSweeps(args []string) (*sim.Sweep, error) {
	sw := &sim.Sweep{Design: sim.DesignGrid}
	for _, a := range args {
		path, list, ok := strings.Cut(a, "=")
		if !ok || path == "" || list == "" {
			return nil, fmt.Errorf("--sweep %s: want PATH=V1,V2,... or PATH=FROM:TO:STEP", a)
		}
		p := sim.SweepParam{Path: strings.TrimSpace(path)}
		if parts := strings.Split(list, ":"); len(parts) == 3 {
			var vs [3]float64
			for i, s := range parts {
				v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
				if err != nil {
					return nil, fmt.Errorf("--sweep %s: %q is not a number", a, s)
				}
				vs[i] = v
			}
			p.From, p.To, p.Step = &vs[0], &vs[1], &vs[2]
		} else {
			for _, s := range strings.Split(list, ",") {
				v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
				if err != nil {
					return nil, fmt.Errorf("--sweep %s: %q is not a number", a, s)
				}
				p.Values = append(p.Values, v)
			}
		}
		sw.Params = append(sw.Params, p)
	}
	return sw, nil
}

// ParsePolicy reads --policy 'at=STEP[,name=TEXT],PATH=VALUE,...', the
// k-th (from 0), which names the policy when no name= does. A value
// in double quotes may hold commas; inside the quotes \" is a quote and \\
// a backslash: name="customs, phase 1".
func ParsePolicy(arg string, k int) (sim.Policy, error) {
	p := sim.Policy{At: -1, Name: fmt.Sprintf("policy %d (command line)", k+1), Set: map[string]float64{}}
	bad := func(format string, args ...any) (sim.Policy, error) {
		return p, fmt.Errorf("--policy %s: %s", arg, fmt.Sprintf(format, args...))
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
