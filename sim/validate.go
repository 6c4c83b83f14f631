package sim

import (
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
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

// stepUnit matches a step's unit in words: a noun in the singular, to
// which an s makes the plural.
var stepUnit = regexp.MustCompile(`^[a-z]{1,20}$`)

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
	if c.StepUnit != "" && !stepUnit.MatchString(c.StepUnit) {
		add("step_unit", "%q is not a unit in the singular of at most 20 lower-case letters (month, week, year)", c.StepUnit)
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
	checkText("description", c.Description, true, add)
	regionIdx := map[string]int{}
	cityIdx := map[string]bool{}
	for i, r := range c.Regions {
		f := fmt.Sprintf("regions[%d]", i)
		claim(r.ID, f+".id")
		regionIdx[r.ID] = i
		checkText(f+".name", r.Name, false, add)
		checkText(f+".role", r.Role, false, add)
		if len(r.Cities) == 0 {
			add(f+".cities", "region %q has no city", r.ID)
		}
		for j, ct := range r.Cities {
			cf := fmt.Sprintf("%s.cities[%d]", f, j)
			claim(ct.ID, cf+".id")
			cityIdx[ct.ID] = true
			checkText(cf+".name", ct.Name, false, add)
		}
	}
	if n := len(ids) - len(c.Regions); n > math.MaxUint16 {
		add("regions", "%d cities in all is more than the cap of %d", n, math.MaxUint16)
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
	// A problem's suggestion ("did you mean ...?") looks through every
	// path of the scenario: only the first few, which are shown, get one.
	suggest := maxSuggestions
	for i, p := range c.Policies {
		f := fmt.Sprintf("policies[%d]", i)
		if p.At < 0 || p.At >= c.Steps {
			add(f+".at", "step %d is outside [0, %d) (steps)", p.At, c.Steps)
		}
		if strings.TrimSpace(p.Name) == "" {
			add(f+".name", "a policy needs a name for the reports")
		} else {
			checkText(f+".name", p.Name, false, add)
		}
		if len(p.Set) == 0 {
			add(f+".set", "a policy must set at least one parameter")
		}
		setBy := map[string]string{} // the path that set each field
		for _, path := range slices.Sorted(maps.Keys(p.Set)) {
			pf := f + ".set." + path
			t, err := c.find(path)
			if err != nil && suggest > 0 {
				suggest--
				t, err = c.resolve(path)
			}
			if err != nil {
				add(pf, "%s", strings.TrimPrefix(err.Error(), path+": "))
				continue
			}
			if first, ok := setBy[t.field]; ok {
				add(pf, "sets the parameter that %s sets already; give each parameter once", first)
				continue
			}
			setBy[t.field] = path
			if !t.param.Policy {
				add(pf, "%s is fixed when the model is built; a policy cannot change it", path)
				continue
			}
			checkValue(target{t.param, t.i, t.j, pf}, p.Set[path], add)
		}
	}
	// The rules that tie fields together, on the scenario as the file
	// gives it and, once everything else holds, as each policy leaves it.
	tc := newTieChecker(c)
	tc.check(c, add)
	if len(es) == 0 {
		tc.checkPolicies(c, add)
	}
	c.validateSweep(add)
	c.validateSensitivityBlock(add)
	if len(es) == 0 && c.Sweep != nil {
		c.checkPoints(add)
	}
	if len(es) == 0 {
		c.validatePosterior(add)
	}
	if len(es) == 0 {
		return nil
	}
	return es
}

// maxSuggestions is how many problems with an unknown path Validate gives
// a suggestion: each looks through every path of the scenario.
const maxSuggestions = 10

// checkText reports a name or text that holds a character that would
// drive or disguise a terminal (see Unprintable): names are printed on
// terminals, in tables and in reports. multiline allows newlines and tabs,
// as in a description.
func checkText(field, s string, multiline bool, add func(string, string, ...any)) {
	for i, r := range []rune(s) {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if Unprintable(r) {
			add(field, "%q holds the control or formatting character %U at character %d; names and texts may hold printable characters only", s, r, i+1)
			return
		}
	}
}

// Unprintable reports whether r must not be shown as it is on a terminal:
// a control character (newline and tab among them), an invalid byte
// (utf8.RuneError), a byte order mark, or a character that is invisible
// or reorders text (zero-width spaces and joiners, bidirectional
// controls), with which a text can move the cursor, clear the screen or
// disguise itself.
func Unprintable(r rune) bool {
	switch {
	case unicode.IsControl(r), r == utf8.RuneError, r == '\ufeff',
		r >= '\u200b' && r <= '\u200f', r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

func checkValue(t target, v float64, add func(string, string, ...any)) {
	switch {
	case isMissing(v) || (t.param.Int && v == float64(missingInt)):
		add(t.field, "is required")
	case !t.param.inRange(v):
		add(t.field, "%s is outside %s%s", fmtNum(v), t.param.Range(), wholeNote(t.param))
	}
}

// tieChecker checks the rules that tie fields together, which the ranges
// of single fields cannot: a city's capability spread below its mean and
// mean + spread ≤ 1; the totals of firms and labs; the contacts against
// the firms; and that the weights the model adds up stay finite (the
// couplings of a region's contacts to the other regions, and the partner
// search's weights × pull: two pulls of 1e308 are each in range, but
// their sum is not a number). It is built once for the shape of a
// scenario (its regions and links) and checks it, or a copy with other
// values (under a policy, at a sweep point), allocating nothing unless it
// finds a problem.
type tieChecker struct {
	// dirs are the directions the links set.
	dirs []linkDir
	// coupling, search, linked and marked are room for the sums.
	coupling, search []float64
	linked           []int
	marked           []bool
}

// linkDir is the direction from region from to region to that link
// (an index into Config.Links) sets.
type linkDir struct{ link, from, to int }

func newTieChecker(c *Config) *tieChecker {
	n := len(c.Regions)
	idx := make(map[string]int, n)
	for i, r := range c.Regions {
		idx[r.ID] = i
	}
	tc := &tieChecker{coupling: make([]float64, n), search: make([]float64, n), linked: make([]int, n), marked: make([]bool, n)}
	for i, l := range c.Links {
		ea, eb := l.Ends()
		a, okA := idx[ea]
		b, okB := idx[eb]
		if !okA || !okB || (l.Directed() && l.Between != [2]string{}) {
			continue // Validate reports the link
		}
		tc.dirs = append(tc.dirs, linkDir{i, a, b})
		if !l.Directed() && a != b {
			tc.dirs = append(tc.dirs, linkDir{i, b, a})
		}
	}
	return tc
}

// check reports every rule c breaks. c must have the shape the checker
// was built for.
func (tc *tieChecker) check(c *Config, add func(string, string, ...any)) {
	firms, labs := 0, 0
	for i, r := range c.Regions {
		for j, ct := range r.Cities {
			firms += max(ct.Firms, 0)
			labs += max(ct.Labs, 0)
			m, s := ct.Capability.Mean, ct.Capability.Spread
			if isMissing(m) || isMissing(s) || !(m > 0) || !(s >= 0) {
				continue
			}
			if s >= m {
				add(fmt.Sprintf("regions[%d].cities[%d].capability.spread", i, j), "%s must be below capability.mean (%s) so that every capability stays above 0", fmtNum(s), fmtNum(m))
			} else if m+s > 1 {
				add(fmt.Sprintf("regions[%d].cities[%d].capability.spread", i, j), "mean %s + spread %s exceeds 1", fmtNum(m), fmtNum(s))
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
	tc.checkSums(c, add)
}

// checkSums reports a region whose contacts' couplings, or whose partner
// search's weights, add up beyond the largest float64. It bounds each
// region's sums by the default link's weight over every region plus its
// links' weights, which costs one pass over the regions and the links,
// and adds a region's sums exactly only when a bound overflows.
func (tc *tieChecker) checkSums(c *Config, add func(string, string, ...any)) {
	n := len(c.Regions)
	dc := c.DefaultLink.Coupling
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	if !finite(dc) || dc < 0 {
		return // the range check reports it
	}
	var pulls float64
	for _, r := range c.Regions {
		if !finite(r.Pull) || r.Pull < 0 {
			return
		}
		pulls += r.Pull
	}
	clear(tc.coupling)
	clear(tc.search)
	clear(tc.linked)
	for _, d := range tc.dirs {
		l := &c.Links[d.link]
		w := linkSearch(l)
		if !finite(l.Coupling) || !finite(w) || l.Coupling < 0 || w < 0 {
			return
		}
		if d.to != d.from {
			tc.coupling[d.from] += l.Coupling
			tc.linked[d.from]++
		}
		tc.search[d.from] += float64(w * c.Regions[d.to].Pull)
	}
	for r := range n {
		if finite(float64(dc*float64(n-1))+tc.coupling[r]) && finite(float64(dc*pulls)+tc.search[r]) {
			continue
		}
		// The exact sums, and the largest term of each to blame.
		clear(tc.marked)
		cField, cMax := "default_link.coupling", dc
		sField, sMax := "default_link.coupling", 0.0
		for _, d := range tc.dirs {
			if d.from != r {
				continue
			}
			tc.marked[d.to] = true
			l := &c.Links[d.link]
			if d.to != r && l.Coupling > cMax {
				cField, cMax = fmt.Sprintf("links[%d].coupling", d.link), l.Coupling
			}
			w := linkSearch(l)
			if t := w * c.Regions[d.to].Pull; t > sMax {
				sField, sMax = fmt.Sprintf("links[%d].%s", d.link, map[bool]string{true: "search", false: "coupling"}[l.Search != nil]), t
				if c.Regions[d.to].Pull > w {
					sField = fmt.Sprintf("regions[%d].pull", d.to)
				}
			}
		}
		searchSum := tc.search[r]
		for s := range n {
			if tc.marked[s] {
				continue
			}
			t := float64(dc * c.Regions[s].Pull)
			searchSum += t
			if t > sMax {
				sField, sMax = "default_link.coupling", t
				if c.Regions[s].Pull > dc {
					sField = fmt.Sprintf("regions[%d].pull", s)
				}
			}
		}
		if !finite(tc.coupling[r] + float64(dc*float64(n-1-tc.linked[r]))) {
			add(cField, "the couplings of region %q's contacts to the other regions add up beyond the largest number (about 1.8e308): only their ratios matter, so scale them down", c.Regions[r].ID)
		}
		if !finite(searchSum) {
			add(sField, "the weights of region %q's partner search (each pair's search, or coupling, × the other region's pull) add up beyond the largest number (about 1.8e308): only their ratios matter, so scale them down", c.Regions[r].ID)
		}
	}
}

// linkSearch is a link's weight in partner search.
func linkSearch(l *Link) float64 {
	if l.Search != nil {
		return *l.Search
	}
	return l.Coupling
}

// checkPolicies reports the rules that the scenario breaks under its
// policies: it applies them in the order of their steps (those of one
// step together, as the model does) to a copy of c and checks the copy
// after each step's policies. A problem that a step's policies bring is
// reported on the change of theirs closest to it, such as
// policies[0].set.cities.a1.capability.mean for a spread that a lower
// mean leaves too large.
func (tc *tieChecker) checkPolicies(c *Config, add func(string, string, ...any)) {
	if len(c.Policies) == 0 {
		return
	}
	order := make([]int, len(c.Policies))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return c.Policies[a].At - c.Policies[b].At })
	d := deepClone(c)
	prev := map[FieldError]bool{}
	for g := 0; g < len(order); {
		at := c.Policies[order[g]].At
		end := g
		for end < len(order) && c.Policies[order[end]].At == at {
			end++
		}
		// field of each change of this step, to blame problems on.
		var changes [][2]string // set path, field
		for _, i := range order[g:end] {
			p := c.Policies[i]
			for _, path := range slices.Sorted(maps.Keys(p.Set)) {
				t, err := d.find(path)
				if err != nil {
					return // Validate reports it
				}
				t.set(&d, p.Set[path])
				changes = append(changes, [2]string{fmt.Sprintf("policies[%d].set.%s", i, path), t.field})
			}
		}
		now := map[FieldError]bool{}
		tc.check(&d, func(field, format string, args ...any) {
			fe := FieldError{field, fmt.Sprintf(format, args...)}
			now[fe] = true
			if prev[fe] {
				return
			}
			blame, best := changes[0][0], -1
			for _, ch := range changes {
				if n := commonPrefix(ch[1], field); n > best {
					blame, best = ch[0], n
				}
			}
			add(blame, "from step %d on, %s: %s", at, field, fe.Msg)
		})
		prev = now
		g = end
	}
}

// commonPrefix is the length of the longest common prefix of a and b.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// tied reports whether a rule of tieChecker reads p.
func (p *Param) tied() bool {
	switch p.Name {
	case "capability.mean", "capability.spread", "firms", "labs", "diffusion.k", "pull", "coupling", "search", "default_link.coupling":
		return true
	}
	return false
}

// checkPoints reports the first sweep point at which the scenario breaks
// a rule of tieChecker, under its policies too. The values of every point
// are in range (validateSweep checks them), so a sweep of parameters that
// no such rule reads needs no more; otherwise one copy of c takes each
// point's values in turn.
func (c *Config) checkPoints(add func(string, string, ...any)) {
	d := deepClone(c)
	d.Sweep = nil
	var ts []target
	tied := false
	for _, sp := range c.Sweep.Params {
		t, err := d.find(sp.Path)
		if err != nil {
			return // validateSweep reports it
		}
		ts = append(ts, t)
		tied = tied || t.param.tied()
	}
	if !tied {
		return
	}
	tc := newTieChecker(&d)
	for _, pt := range c.Points() {
		for k, t := range ts {
			t.set(&d, pt.Values[k])
		}
		var first *FieldError
		note := func(field, format string, args ...any) {
			if first == nil {
				first = &FieldError{field, fmt.Sprintf(format, args...)}
			}
		}
		tc.check(&d, note)
		if first == nil {
			tc.checkPolicies(&d, note)
		}
		if first != nil {
			add("sweep", "point %d %v is invalid: %s", pt.Index, pt.Values, first.Error())
			return
		}
	}
}

// deepClone copies c so that setting any parameter of the copy leaves c
// alone: cloneConfig shares the links' search values.
func deepClone(c *Config) Config {
	d := cloneConfig(c)
	for i := range d.Links {
		if s := d.Links[i].Search; s != nil {
			v := *s
			d.Links[i].Search = &v
		}
	}
	return d
}
