package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/triad-sim/triad/internal/portable"
	"github.com/triad-sim/triad/sim"
)

// Levers is a levers file: the budget `triad optimize` shares out, the
// parameters money can move, and what the money is meant to achieve.
type Levers struct {
	// Budget is the money to share out among the levers.
	Budget *float64 `yaml:"budget"`
	Levers []Lever  `yaml:"levers"`
	// Objective is the figure to make as small or as large as the money
	// can; Second, when given, a second one to trade off against it.
	Objective *Objective `yaml:"objective"`
	Second    *Objective `yaml:"second,omitempty"`
}

// Lever is one parameter money can move, from the scenario's own value
// (where spending nothing leaves it) towards To, the furthest value money
// can buy. Spending s buys (s/CostPerUnit)^Exponent units of change,
// capped at To: an exponent of 1 is a straight line, one below 1
// diminishing returns.
type Lever struct {
	Name string `yaml:"name"`
	// Path is a parameter path as for --set, or several joined by commas
	// that take the same value (the periphery's two pulls).
	Path        string   `yaml:"path"`
	To          *float64 `yaml:"to"`
	CostPerUnit *float64 `yaml:"cost_per_unit"`
	Exponent    *float64 `yaml:"exponent,omitempty"`
	// From is the scenario's value of the path (set by LoadLevers).
	From float64 `yaml:"-"`
	// Line is the lever's line in the file (set by LoadLevers).
	Line int `yaml:"-"`
}

// Objective is a per-run figure to minimize or maximize: a metric of
// sim.RunResult.Metrics for a region, for a group of regions (the
// firm-weighted mean of their figures) or for the whole scenario.
type Objective struct {
	Metric  string   `yaml:"metric"`
	Region  string   `yaml:"region,omitempty"`
	Regions []string `yaml:"regions,omitempty"`
	// Goal is GoalMinimize or GoalMaximize.
	Goal string `yaml:"goal"`
}

// The goals of an objective.
const (
	GoalMinimize = "minimize"
	GoalMaximize = "maximize"
)

// maxLevers is the most levers a file may hold: the search's lattice of
// allocations grows as the budget's shares to the power of the levers.
const maxLevers = 8

// Paths splits the lever's path at its commas.
func (l Lever) Paths() []string { return FitParam{Path: l.Path}.Paths() }

// exponent is the lever's exponent (1 when not given).
func (l Lever) exponent() float64 {
	if l.Exponent == nil {
		return 1
	}
	return *l.Exponent
}

// Reach is how far the lever can move its parameter: |To − From|.
func (l Lever) Reach() float64 { return math.Abs(*l.To - l.From) }

// FullCost is what moving the lever all the way to To costs:
// CostPerUnit × Reach^(1/Exponent).
func (l Lever) FullCost() float64 {
	r, c := l.Reach(), *l.CostPerUnit
	if e := l.exponent(); e != 1 && r > 0 {
		r = portable.Exp(portable.Log(r) / e)
	}
	return c * r
}

// Value is the parameter's value when spend is spent on the lever: From
// moved towards To by (spend/CostPerUnit)^Exponent, and no further than
// To.
func (l Lever) Value(spend float64) float64 {
	if !(spend > 0) {
		return l.From
	}
	u := spend / *l.CostPerUnit
	if e := l.exponent(); e != 1 {
		u = portable.Exp(float64(e * portable.Log(u)))
	}
	if u >= l.Reach() {
		return *l.To
	}
	if *l.To > l.From {
		return l.From + u
	}
	return l.From - u
}

// Spent is how much of spend the lever uses: all of it, or what reaching
// To costs when spend is more (the rest is left unspent).
func (l Lever) Spent(spend float64) float64 { return min(spend, l.FullCost()) }

// Name is the objective's label in tables: "metric" or "metric@region",
// a group's regions joined by "+".
func (o Objective) Name() string {
	return Target{Metric: o.Metric, Region: o.Region, Regions: o.Regions}.Name()
}

// RegionList is the objective's regions: Regions, or Region alone, or
// none for a whole-scenario figure.
func (o Objective) RegionList() []string {
	return Target{Region: o.Region, Regions: o.Regions}.RegionList()
}

// Sign is 1 for an objective to minimize and −1 for one to maximize: the
// search makes Sign × figure as small as it can.
func (o Objective) Sign() float64 {
	if o.Goal == GoalMaximize {
		return -1
	}
	return 1
}

// IsTime reports whether the objective's metric is a time in steps, which
// a run may never reach (t50, t50_km, lag_median).
func (o Objective) IsTime() bool {
	return o.Metric == sim.MetricT50 || o.Metric == sim.MetricT50KM || o.Metric == sim.MetricLagMedian
}

// Figure is the objective's figure in run of cfg. A group's figure is the
// mean of its regions' figures weighted by their firms (for a share of
// firms, exactly the group's share). A time that the run never reached
// (NaN) counts as the run's horizon, cfg.Steps: the run is censored at its
// last step. Any other figure the run does not have (NaN: no innovation old
// enough for adoption_at_60, none commercialized for a share) counts as 0.
func (o Objective) Figure(cfg *sim.Config, run *sim.RunResult) float64 {
	regions := o.RegionList()
	ids := cfg.RegionIDs()
	fix := func(v float64) float64 {
		switch {
		case !math.IsNaN(v):
			return v
		case o.IsTime():
			return float64(cfg.Steps)
		}
		return 0
	}
	var sum, weight float64
	for _, m := range run.Metrics(ids) {
		if m.Name != o.Metric {
			continue
		}
		if len(regions) == 0 && m.Region == "" {
			return fix(m.Value)
		}
		if m.Region == "" || !slices.Contains(regions, m.Region) {
			continue
		}
		w := float64(regionFirms(cfg, m.Region))
		sum += float64(w * fix(m.Value))
		weight += w
	}
	if weight == 0 {
		return math.NaN()
	}
	return sum / weight
}

// regionFirms is the number of firms of region id in cfg.
func regionFirms(cfg *sim.Config, id string) int {
	n := 0
	for _, r := range cfg.Regions {
		if r.ID == id {
			for _, c := range r.Cities {
				n += c.Firms
			}
		}
	}
	return n
}

// LoadLevers reads a levers file for the scenario cfg. Every problem has
// the file's name, a line and a column: YAML syntax, unknown keys, values
// of the wrong type, a missing field, a budget or cost that is not
// positive, an exponent outside (0, 1], a lever's path cfg does not have
// (or that takes whole numbers, or whose paths start from different
// values), a To the scenario refuses or that equals its value, an
// objective whose metric or region cfg's runs do not have or whose goal is
// neither minimize nor maximize.
func LoadLevers(name string, src []byte, cfg *sim.Config) (Levers, error) {
	lv, x, err := decodeFile[Levers](name, src, "a levers file")
	if err != nil {
		return Levers{}, err
	}
	var es Errors
	add := func(path, format string, args ...any) {
		es = append(es, x.at(name, path, fmt.Sprintf(format, args...)))
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case lv.Budget == nil:
		add("budget", "missing: give the money to share out among the levers")
	case !(*lv.Budget > 0) || !finite(*lv.Budget):
		add("budget", "%v is not a positive number", *lv.Budget)
	}
	switch {
	case len(lv.Levers) == 0:
		add("levers", "no levers: list at least one {name, path, to, cost_per_unit}")
	case len(lv.Levers) > maxLevers:
		add("levers", "%d levers, more than %d: the allocations to search grow as a power of the levers", len(lv.Levers), maxLevers)
	}
	paths := cfg.Paths(true)
	names := map[string]bool{}
	for i := range lv.Levers {
		l := &lv.Levers[i]
		p := fmt.Sprintf("levers[%d]", i)
		l.Line = x.locate(p).line
		switch {
		case strings.TrimSpace(l.Name) == "":
			add(p+".name", "missing: name the lever (research, reach, ...)")
		case names[l.Name]:
			add(p+".name", "a second lever named %q: give each its own name", l.Name)
		case strings.ContainsAny(l.Name, ",\n\""):
			add(p+".name", "%q holds a comma, quote or line break: name the lever in plain words", l.Name)
		}
		names[l.Name] = true
		pathsOK := l.Path != ""
		if l.Path == "" {
			add(p+".path", "missing: give a parameter path as for --set, such as regions.yrd.reach")
		}
		var from []float64
		for _, path := range l.Paths() {
			if l.Path == "" {
				break
			}
			if !slices.Contains(paths, path) {
				msg := fmt.Sprintf("%s has no parameter %q", cfg.Name, path)
				if s := sim.Closest(path, paths, 2); s != "" {
					msg += "; did you mean " + s + "?"
				}
				add(p+".path", "%s", msg)
				pathsOK = false
				continue
			}
			if whole, _ := cfg.ParamIsWhole(path); whole {
				add(p+".path", "%s takes whole numbers: a lever moves a continuous parameter", path)
				pathsOK = false
				continue
			}
			v, _ := cfg.ParamValue(path)
			from = append(from, v)
		}
		if pathsOK && len(from) > 1 && slices.Min(from) != slices.Max(from) {
			add(p+".path", "its paths start from different values (%s): one lever sets them to one value; give each its own lever", joinFloats(from))
			pathsOK = false
		}
		if pathsOK && len(from) > 0 {
			l.From = from[0]
		}
		switch {
		case l.To == nil:
			add(p+".to", "missing: give the furthest value money can buy")
		case !finite(*l.To):
			add(p+".to", "%v is not a finite number", *l.To)
		case pathsOK && *l.To == l.From:
			add(p+".to", "%v is the scenario's own value: money would buy nothing", *l.To)
		case pathsOK:
			c := cfg.AtPoint(sim.Point{})
			for _, path := range l.Paths() {
				if err := c.Set(path, strconv.FormatFloat(*l.To, 'g', -1, 64)); err != nil {
					add(p+".to", "%v", err)
					break
				}
			}
			if err := c.Validate(); err != nil {
				first, _, _ := strings.Cut(err.Error(), "\n")
				add(p+".to", "the scenario refuses %v: %s", *l.To, first)
			}
		}
		switch {
		case l.CostPerUnit == nil:
			add(p+".cost_per_unit", "missing: give the money that buys one unit of change")
		case !(*l.CostPerUnit > 0) || !finite(*l.CostPerUnit):
			add(p+".cost_per_unit", "%v is not a positive number", *l.CostPerUnit)
		}
		if l.Exponent != nil && !(*l.Exponent > 0 && *l.Exponent <= 1) {
			add(p+".exponent", "%v is outside (0, 1]: 1 is a straight line, below 1 diminishing returns", *l.Exponent)
		}
	}
	if lv.Objective == nil {
		add("objective", "missing: give {metric, region or regions, goal: minimize or maximize}")
	} else {
		checkObjective(cfg, "objective", lv.Objective, add)
	}
	if lv.Second != nil {
		checkObjective(cfg, "second", lv.Second, add)
	}
	if len(es) > 0 {
		return Levers{}, sortErrors(es)
	}
	return lv, nil
}

// checkObjective adds the problems of objective o at path p.
func checkObjective(cfg *sim.Config, p string, o *Objective, add func(path, format string, args ...any)) {
	if o.Region != "" && len(o.Regions) > 0 {
		add(p+".regions", "give region or regions, not both")
	}
	switch {
	case o.Metric == "":
		add(p+".metric", "missing: name a metric, such as %s", sim.MetricT50KM)
	case len(o.RegionList()) == 0 && !MetricExists(cfg, o.Metric, ""):
		if MetricExists(cfg, o.Metric, cfg.RegionIDs()[0]) {
			add(p+".metric", "%s is a figure of one region: give its region or regions", o.Metric)
		} else {
			add(p+".metric", "no whole-scenario metric %q (one of %s)", o.Metric, strings.Join(scenarioMetrics, ", "))
		}
	}
	for k, r := range o.RegionList() {
		rp := p + ".region"
		if len(o.Regions) > 0 {
			rp = fmt.Sprintf("%s.regions[%d]", p, k)
		}
		switch {
		case !slices.Contains(cfg.RegionIDs(), r):
			add(rp, "no region %q in %s (regions: %s)", r, cfg.Name, strings.Join(cfg.RegionIDs(), ", "))
		case slices.Index(o.RegionList(), r) < k:
			add(rp, "region %q is named twice", r)
		case o.Metric != "" && !MetricExists(cfg, o.Metric, r):
			add(p+".metric", "regions have no metric %q (one of %s, transfer_to_<region>)", o.Metric, strings.Join(regionMetrics, ", "))
		}
	}
	switch o.Goal {
	case GoalMinimize, GoalMaximize:
	case "":
		add(p+".goal", "missing: give %s or %s", GoalMinimize, GoalMaximize)
	default:
		add(p+".goal", "%q is neither %s nor %s", o.Goal, GoalMinimize, GoalMaximize)
	}
}

func joinFloats(vs []float64) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strings.Join(s, ", ")
}
