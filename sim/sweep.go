package sim

import (
	"fmt"
	"math"
	"strconv"
)

// Sweep designs: which combinations of the swept values are run.
const (
	// DesignGrid runs every combination of the values (full factorial).
	DesignGrid = "grid"
	// DesignLatinHypercube runs Points points that cover each parameter's
	// range in Points equal strata, each stratum exactly once.
	DesignLatinHypercube = "latin-hypercube"
	// DesignMorris runs Points Morris trajectories for screening (see
	// Config.morris): the elementary effects of every parameter.
	DesignMorris = "morris"
	// DesignSobol runs the Saltelli design of Points base rows for Sobol
	// indices (see Config.saltelli).
	DesignSobol = "sobol"
)

// Seeds of a sweep: whether the points share their replications' seeds.
const (
	// SeedsCommon (the default) gives replicate r of every point the same
	// run seed: common random numbers. Every random stream of a run is
	// keyed by its purpose (sim/rng.go), so a parameter that does not enter
	// a sub-model leaves that sub-model's draws, and its numbers, identical
	// across points, and the difference between two points is the effect of
	// the parameter, not the noise of two different seeds.
	SeedsCommon = "common"
	// SeedsIndependent gives every point × replicate its own seed.
	SeedsIndependent = "independent"
)

// MaxSweepPoints caps the number of points of a sweep.
const MaxSweepPoints = 100_000

// Sweep varies parameters across runs, like NetLogo's BehaviorSpace. Every
// point × replicate is one run; Seeds says whether replicate r of every
// point shares one seed (the default) or each run has its own.
type Sweep struct {
	// Design is DesignGrid (the default) or DesignLatinHypercube.
	Design string `yaml:"design,omitempty" json:"design,omitempty"`
	// Seeds is SeedsCommon (the default, also when empty) or
	// SeedsIndependent.
	Seeds string `yaml:"seeds,omitempty" json:"seeds,omitempty"`
	// Points is the number of points of a Latin hypercube, of trajectories
	// of a Morris design or of base rows (N) of a Sobol design.
	Points int `yaml:"points,omitempty" json:"points,omitempty"`
	// Levels is the number of levels of a Morris grid (even; 0 means
	// DefaultMorrisLevels).
	Levels int `yaml:"levels,omitempty" json:"levels,omitempty"`
	// Radial makes a Morris design radial: every step of a trajectory
	// starts from the trajectory's first point (see Config.morris).
	Radial bool `yaml:"radial,omitempty" json:"radial,omitempty"`
	// Timeseries keeps every run whole in a sensitivity design (Morris or
	// Sobol), time series and innovation log included; without it the
	// runs keep only their per-run figures (see FiguresOnly).
	Timeseries bool `yaml:"timeseries,omitempty" json:"timeseries,omitempty"`
	// Metrics names the per-run figures a sensitivity design (Morris or
	// Sobol) analyses; empty means the headline figures.
	Metrics []string     `yaml:"metrics,omitempty" json:"metrics,omitempty"`
	Params  []SweepParam `yaml:"params" json:"params"`
}

// SweepParam is one swept parameter: a path as for Config.Set and either a
// list of Values or a range From..To (with Step for a grid).
type SweepParam struct {
	Path   string    `yaml:"path" json:"path"`
	Values []float64 `yaml:"values,omitempty" json:"values,omitempty"`
	From   *float64  `yaml:"from,omitempty" json:"from,omitempty"`
	To     *float64  `yaml:"to,omitempty" json:"to,omitempty"`
	Step   *float64  `yaml:"step,omitempty" json:"step,omitempty"`
}

// Point is one combination of swept values, in the order of Sweep.Params.
type Point struct {
	Index  int
	Values []float64
}

// SweepPaths returns the swept paths in order (none without a sweep).
func (c *Config) SweepPaths() []string {
	if c.Sweep == nil {
		return nil
	}
	ps := make([]string, len(c.Sweep.Params))
	for i, p := range c.Sweep.Params {
		ps[i] = p.Path
	}
	return ps
}

// values lists a grid parameter's values: Values, or From, From+Step, ...
// up to To (inclusive, within a tolerance of rounding).
func (p SweepParam) values() []float64 {
	if len(p.Values) > 0 || p.From == nil || p.To == nil || p.Step == nil || *p.Step <= 0 {
		return p.Values
	}
	var vs []float64
	n := int(math.Floor((*p.To - *p.From) / *p.Step * (1 + 1e-9)))
	for i := 0; i <= n && i <= MaxSweepPoints; i++ {
		v := *p.From + float64(float64(i)**p.Step)
		vs = append(vs, roundNice(v))
	}
	return vs
}

// roundNice removes the binary noise of repeated addition (0.30000000000000004
// becomes 0.3) so that swept values read as typed.
func roundNice(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return r
}

// Points lists the sweep's points; a Config without a sweep has one point
// with no values. The Config must be valid.
func (c *Config) Points() []Point {
	if c.Sweep == nil || len(c.Sweep.Params) == 0 {
		return []Point{{Index: 0}}
	}
	switch c.Sweep.Design {
	case DesignLatinHypercube:
		return c.latinHypercube()
	case DesignMorris:
		pts, _ := c.morris()
		return pts
	case DesignSobol:
		return c.saltelli()
	}
	lists := make([][]float64, len(c.Sweep.Params))
	total := 1
	for i, p := range c.Sweep.Params {
		lists[i] = p.values()
		total *= len(lists[i])
	}
	pts := make([]Point, total)
	for k := range pts {
		vals := make([]float64, len(lists))
		rest := k
		for i := len(lists) - 1; i >= 0; i-- { // the last parameter varies fastest
			vals[i] = lists[i][rest%len(lists[i])]
			rest /= len(lists[i])
		}
		pts[k] = Point{Index: k, Values: vals}
	}
	return pts
}

// latinHypercube draws Points points: for each parameter, the range
// [From, To) is cut into Points equal strata, a random permutation assigns
// one stratum to each point, and the value is uniform within its stratum.
// Whole-number parameters are rounded. The draws come from the scenario
// seed, so the design is the same on every machine.
func (c *Config) latinHypercube() []Point {
	n := c.Sweep.Points
	pts := make([]Point, n)
	for k := range pts {
		pts[k] = Point{Index: k, Values: make([]float64, len(c.Sweep.Params))}
	}
	for d, p := range c.Sweep.Params {
		r := stream(c.Seed, purposeSweep, 0, d)
		perm := make([]int, n)
		for i := range perm {
			perm[i] = i
		}
		for i := n - 1; i > 0; i-- {
			j := r.intn(i + 1)
			perm[i], perm[j] = perm[j], perm[i]
		}
		t, _ := c.resolve(p.Path)
		for k := range pts {
			v := *p.From + float64((float64(perm[k])+r.float())/float64(n)*(*p.To-*p.From))
			if t.param != nil && t.param.Int {
				v = math.Round(v)
			}
			pts[k].Values[d] = roundNice(v)
		}
	}
	return pts
}

// AtPoint returns the Config of one sweep point: c with the point's values
// set and no sweep.
func (c *Config) AtPoint(p Point) Config {
	d := cloneConfig(c)
	d.Sweep = nil
	if c.Sweep == nil {
		return d
	}
	for i, sp := range c.Sweep.Params {
		t, err := d.resolve(sp.Path)
		if err != nil {
			panic("sim: sweep path was validated: " + err.Error())
		}
		t.set(&d, p.Values[i])
	}
	return d
}

// validateSweep checks the sweep block.
func (c *Config) validateSweep(add func(string, string, ...any)) {
	s := c.Sweep
	if s == nil {
		return
	}
	switch s.Design {
	case "", DesignGrid, DesignLatinHypercube:
	case DesignMorris, DesignSobol:
		c.validateSensitivity(add)
		return
	default:
		add("sweep.design", "%q is not %q, %q, %q or %q", s.Design, DesignGrid, DesignLatinHypercube, DesignMorris, DesignSobol)
	}
	if s.Levels != 0 {
		add("sweep.levels", "levels applies only to design: %s", DesignMorris)
	}
	if s.Radial {
		add("sweep.radial", "radial applies only to design: %s", DesignMorris)
	}
	if len(s.Metrics) > 0 {
		add("sweep.metrics", "metrics applies only to designs %s and %s", DesignMorris, DesignSobol)
	}
	switch s.Seeds {
	case "", SeedsCommon, SeedsIndependent:
	default:
		add("sweep.seeds", "%q is not %q or %q", s.Seeds, SeedsCommon, SeedsIndependent)
	}
	lhs := s.Design == DesignLatinHypercube
	if lhs && (s.Points < 1 || s.Points > MaxSweepPoints) {
		add("sweep.points", "a latin-hypercube needs points in [1, %d], got %d", MaxSweepPoints, s.Points)
	}
	if !lhs && s.Points != 0 {
		add("sweep.points", "points applies only to design: %s; a grid runs every combination", DesignLatinHypercube)
	}
	if len(s.Params) == 0 {
		add("sweep.params", "a sweep needs at least one parameter")
	}
	total := 1.0
	seen := map[string]bool{}
	for i, p := range s.Params {
		f := fmt.Sprintf("sweep.params[%d]", i)
		t, err := c.resolve(p.Path)
		if err != nil {
			add(f+".path", "%s", err.Error())
			continue
		}
		if p.Path == "steps" || p.Path == "replications" {
			add(f+".path", "%s cannot be swept: every point must have the same shape of output", p.Path)
			continue
		}
		if seen[p.Path] {
			add(f+".path", "%s is swept twice", p.Path)
		}
		seen[p.Path] = true
		hasRange := p.From != nil || p.To != nil || p.Step != nil
		switch {
		case len(p.Values) > 0 && hasRange:
			add(f, "give either values or from/to%s, not both", map[bool]string{true: "", false: "/step"}[lhs])
			continue
		case lhs && len(p.Values) > 0:
			add(f+".values", "a latin-hypercube samples ranges: give from and to instead of values")
			continue
		case len(p.Values) == 0 && (p.From == nil || p.To == nil):
			add(f, "give values, or from and to%s", map[bool]string{true: "", false: " and step"}[lhs])
			continue
		}
		check := func(field string, v float64) {
			pt := target{t.param, t.i, t.j, field}
			checkValue(pt, v, add)
		}
		for k, v := range p.Values {
			check(fmt.Sprintf("%s.values[%d]", f, k), v)
		}
		if len(p.Values) > 0 {
			total *= float64(len(p.Values))
			continue
		}
		check(f+".from", *p.From)
		check(f+".to", *p.To)
		if *p.To <= *p.From {
			add(f+".to", "%s must be above from (%s)", fmtNum(*p.To), fmtNum(*p.From))
			continue
		}
		if !lhs {
			if p.Step == nil || !(*p.Step > 0) || math.IsInf(*p.Step, 0) {
				add(f+".step", "a grid range needs a step above 0")
				continue
			}
			total *= math.Floor((*p.To-*p.From) / *p.Step * (1+1e-9)) + 1
		} else if p.Step != nil {
			add(f+".step", "a latin-hypercube has no step: it draws points within the range")
		}
	}
	if !lhs && total > MaxSweepPoints {
		add("sweep", "the grid has %.0f points, more than the cap of %d", total, MaxSweepPoints)
	}
}
