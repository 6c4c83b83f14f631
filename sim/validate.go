package sim

import (
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
)

// FieldError is one problem with one field of a Config. Field is a path such
// as "regions[1].cities[0].transform".
type FieldError struct {
	Field string
	Msg   string
}

func (e FieldError) Error() string { return e.Field + ": " + e.Msg }

// Errors is every problem Validate found, in the order of the fields.
type Errors []FieldError

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// missing marks a required field that the scenario did not set. Defaults fill
// required float fields with it and required int fields with missingInt.
var missing = math.Float64frombits(0x7ff8_dead_0000_0001)

const missingInt = math.MinInt

func isMissing(v float64) bool { return math.Float64bits(v) == math.Float64bits(missing) }

var slug = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

// Validate checks every field's range and the rules that tie fields together.
// It returns nil or an Errors value listing every problem.
func (c *Config) Validate() error {
	var es Errors
	add := func(field, format string, args ...any) {
		es = append(es, FieldError{field, fmt.Sprintf(format, args...)})
	}
	if c.Name == "" {
		add("name", "is required: a slug that names the scenario in reports and its output folder")
	} else if !slug.MatchString(c.Name) {
		add("name", "%q is not a slug (lower-case letters, digits, - and _, starting with a letter)", c.Name)
	}
	for _, t := range c.targets() {
		checkValue(t, t.get(c), add)
	}
	switch c.Diffusion.Mixing {
	case MixingFixed, MixingWell:
	default:
		add("diffusion.mixing", "%q is not %q or %q", c.Diffusion.Mixing, MixingFixed, MixingWell)
	}
	switch c.Diffusion.Ties {
	case TiesReciprocal, TiesDirected:
	default:
		add("diffusion.ties", "%q is not %q or %q", c.Diffusion.Ties, TiesReciprocal, TiesDirected)
	}
	if len(c.Regions) == 0 {
		add("regions", "a scenario needs at least one region")
	}
	ids := map[string]string{}
	claim := func(id, field string) {
		if !slug.MatchString(id) {
			add(field, "%q is not a slug (lower-case letters, digits, - and _, starting with a letter)", id)
			return
		}
		if prev, ok := ids[id]; ok {
			add(field, "id %q is already used by %s", id, prev)
			return
		}
		ids[id] = field
	}
	regionIdx := map[string]int{}
	cityIdx := map[string]bool{}
	firms, labs := 0, 0
	for i, r := range c.Regions {
		f := fmt.Sprintf("regions[%d]", i)
		claim(r.ID, f+".id")
		regionIdx[r.ID] = i
		if len(r.Cities) == 0 {
			add(f+".cities", "region %q has no city", r.ID)
		}
		for j, ct := range r.Cities {
			cf := fmt.Sprintf("%s.cities[%d]", f, j)
			claim(ct.ID, cf+".id")
			cityIdx[ct.ID] = true
			if ct.Firms > 0 {
				firms += ct.Firms
			}
			if ct.Labs > 0 {
				labs += ct.Labs
			}
			m, s := ct.Capability.Mean, ct.Capability.Spread
			if !isMissing(m) && !isMissing(s) && m > 0 && s >= 0 {
				if s >= m {
					add(cf+".capability.spread", "%s must be below capability.mean (%s) so that every capability stays above 0", fmtNum(s), fmtNum(m))
				} else if m+s > 1 {
					add(cf+".capability.spread", "mean %s + spread %s exceeds 1", fmtNum(m), fmtNum(s))
				}
			}
		}
	}
	if len(c.Regions) > 0 && firms < 2 {
		add("regions", "a scenario needs at least two firms in all")
	}
	if firms > MaxFirms {
		add("regions", "%d firms in all is more than the cap of %d", firms, MaxFirms)
	}
	if labs > MaxLabs {
		add("regions", "%d labs in all is more than the cap of %d", labs, MaxLabs)
	}
	if n := len(ids) - len(c.Regions); n > math.MaxUint16 {
		add("regions", "%d cities in all is more than the cap of %d", n, math.MaxUint16)
	}
	ends := uint64(1) // reciprocal ties are stored at both ends
	if c.Diffusion.Ties != TiesDirected {
		ends = 2
	}
	if firms > 0 && c.Diffusion.K > 0 && ends*uint64(firms)*uint64(c.Diffusion.K) > math.MaxUint32 {
		add("diffusion.k", "%d firms × %d contacts (stored at %d ends) is more than the cap of %d in all", firms, c.Diffusion.K, ends, uint64(math.MaxUint32))
	}
	if firms >= 2 && c.Diffusion.K >= firms {
		add("diffusion.k", "%d contacts per firm needs more than %d firms", c.Diffusion.K, firms)
	}
	// Each direction of each pair may be set by one link only.
	dirs := map[[2]string]int{}
	for i, l := range c.Links {
		f := fmt.Sprintf("links[%d]", i)
		var ends [][2]string // field, id
		switch {
		case l.Directed() && l.Between != [2]string{}:
			add(f, "a link has either between (both directions) or from and to (one direction), not both")
			continue
		case l.Directed():
			ends = [][2]string{{f + ".from", l.From}, {f + ".to", l.To}}
		default:
			ends = [][2]string{{f + ".between[0]", l.Between[0]}, {f + ".between[1]", l.Between[1]}}
		}
		ok := true
		for _, e := range ends {
			if e[1] == "" {
				add(e[0], "is required")
				ok = false
			} else if _, found := regionIdx[e[1]]; !found {
				add(e[0], "no region has id %q", e[1])
				ok = false
			}
		}
		if !ok {
			continue
		}
		a, b := l.Ends()
		keys := [][2]string{{a, b}}
		if !l.Directed() && a != b {
			keys = append(keys, [2]string{b, a})
		}
		for _, key := range keys {
			if prev, dup := dirs[key]; dup {
				field := f + ".between"
				if l.Directed() {
					field = f + ".from"
				}
				add(field, "links[%d] already sets the link from %s to %s", prev, key[0], key[1])
				break
			}
			dirs[key] = i
		}
	}
	for i, in := range c.Initial {
		f := fmt.Sprintf("initial[%d]", i)
		if !cityIdx[in.City] {
			add(f+".city", "no city has id %q", in.City)
		}
		if !(in.Share > 0 && in.Share <= 1) {
			add(f+".share", "%s is outside (0, 1]", fmtNum(in.Share))
		}
	}
	for i, p := range c.Policies {
		f := fmt.Sprintf("policies[%d]", i)
		if p.At < 0 || p.At >= c.Steps {
			add(f+".at", "step %d is outside [0, %d) (steps)", p.At, c.Steps)
		}
		if strings.TrimSpace(p.Name) == "" {
			add(f+".name", "a policy needs a name for the reports")
		}
		if len(p.Set) == 0 {
			add(f+".set", "a policy must set at least one parameter")
		}
		for _, path := range slices.Sorted(maps.Keys(p.Set)) {
			pf := f + ".set." + path
			t, err := c.resolve(path)
			if err != nil {
				add(pf, "%s", strings.TrimPrefix(err.Error(), path+": "))
				continue
			}
			if !t.param.Policy {
				add(pf, "%s is fixed when the model is built; a policy cannot change it", path)
				continue
			}
			checkValue(target{t.param, t.i, t.j, pf}, p.Set[path], add)
		}
	}
	c.validateSweep(add)
	c.validateSensitivityBlock(add)
	if len(es) == 0 && c.Sweep != nil {
		for _, pt := range c.Points() {
			d := c.AtPoint(pt)
			if err := d.Validate(); err != nil {
				add("sweep", "point %d %v is invalid: %v", pt.Index, pt.Values, strings.ReplaceAll(err.Error(), "\n", "; "))
				break
			}
		}
	}
	if len(es) == 0 {
		return nil
	}
	return es
}

func checkValue(t target, v float64, add func(string, string, ...any)) {
	switch {
	case isMissing(v) || (t.param.Int && v == float64(missingInt)):
		add(t.field, "is required")
	case !t.param.inRange(v):
		add(t.field, "%s is outside %s%s", fmtNum(v), t.param.Range(), wholeNote(t.param))
	}
}
