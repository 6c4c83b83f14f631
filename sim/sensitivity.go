package sim

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// DefaultMorrisLevels is the number of levels of a Morris grid when
// Sweep.Levels is 0.
const DefaultMorrisLevels = 4

// Default sample sizes of a sensitivity block without samples.
const (
	DefaultMorrisTrajectories = 20
	DefaultSobolSamples       = 256
)

// Sensitivity is the sensitivity block of a scenario: which parameters a
// global sensitivity analysis varies, over which ranges, by which method.
// `triad sensitivity` turns it into a Morris or Sobol sweep (see Sweep);
// `triad run` ignores it.
type Sensitivity struct {
	// Method is DesignMorris (the default) or DesignSobol.
	Method string `yaml:"method,omitempty" json:"method,omitempty"`
	// Samples is the number of Morris trajectories or of Sobol base rows
	// (N); 0 means DefaultMorrisTrajectories or DefaultSobolSamples.
	Samples int `yaml:"samples,omitempty" json:"samples,omitempty"`
	// Levels is the number of levels of a Morris grid (0 means
	// DefaultMorrisLevels).
	Levels int `yaml:"levels,omitempty" json:"levels,omitempty"`
	// Radial asks for a radial Morris design (see Sweep.Radial).
	Radial bool `yaml:"radial,omitempty" json:"radial,omitempty"`
	// Timeseries keeps every run whole (see Sweep.Timeseries).
	Timeseries bool `yaml:"timeseries,omitempty" json:"timeseries,omitempty"`
	// Metrics names the figures analysed; empty means the headline ones.
	Metrics []string           `yaml:"metrics,omitempty" json:"metrics,omitempty"`
	Params  []SensitivityParam `yaml:"params" json:"params"`
}

// SensitivityParam is one parameter of a sensitivity analysis: a path as
// for Config.Set and the range [Low, High] it is varied over.
type SensitivityParam struct {
	Path string   `yaml:"path" json:"path"`
	Low  *float64 `yaml:"low" json:"low"`
	High *float64 `yaml:"high" json:"high"`
}

// Sweep returns the sweep that runs the analysis s describes, with its
// defaults filled in.
func (s *Sensitivity) Sweep() *Sweep {
	sw := &Sweep{Design: s.Method, Points: s.Samples, Levels: s.Levels, Radial: s.Radial, Timeseries: s.Timeseries, Metrics: s.Metrics}
	if sw.Design == "" {
		sw.Design = DesignMorris
	}
	if sw.Points == 0 {
		sw.Points = DefaultMorrisTrajectories
		if sw.Design == DesignSobol {
			sw.Points = DefaultSobolSamples
		}
	}
	for _, p := range s.Params {
		sw.Params = append(sw.Params, SweepParam{Path: p.Path, From: p.Low, To: p.High})
	}
	return sw
}

// IsSensitivity reports whether the sweep is a sensitivity design (Morris
// or Sobol).
func (s *Sweep) IsSensitivity() bool {
	return s != nil && (s.Design == DesignMorris || s.Design == DesignSobol)
}

// FiguresOnly reports whether the runs of the sweep keep only their
// per-run figures (RunResult.Figures): a sensitivity design without
// Timeseries, whose estimators read nothing else.
func (s *Sweep) FiguresOnly() bool {
	return s.IsSensitivity() && !s.Timeseries
}

// Figures returns what the per-run figures of the run (Metrics) are
// computed from, for a sensitivity design that keeps no time series: one
// row per region, at the run's last step, whose discoveries,
// commercializations and losses are the run's totals and whose adoption
// share and counts of products past 10, 50 and 90 % adoption are the last
// step's; the transfer matrix, lags and per-region figures as they are;
// no innovation log. Metrics gives the same figures of it as of the run.
func (r *RunResult) Figures() *RunResult {
	f := *r
	f.Innovations = nil
	n := 0
	for _, row := range r.Rows {
		n = max(n, row.Region+1)
	}
	if len(r.Rows) < n || n == 0 {
		return &f
	}
	rows := slices.Clone(r.Rows[len(r.Rows)-n:])
	for i := range rows {
		rows[i].Discovered, rows[i].Commercialized, rows[i].Lost = 0, 0, 0
	}
	for _, row := range r.Rows {
		rows[row.Region].Discovered += row.Discovered
		rows[row.Region].Commercialized += row.Commercialized
		rows[row.Region].Lost += row.Lost
	}
	f.Rows = rows
	return &f
}

// SensitivityPoints returns the number of points of a Morris design of r
// trajectories or a Sobol design of n base rows over k parameters: r(k+1)
// or n(k+2).
func SensitivityPoints(design string, samples, k int) int {
	if design == DesignSobol {
		return samples * (k + 2)
	}
	return samples * (k + 1)
}

// morrisLevels returns the number of levels of a Morris design.
func (s *Sweep) morrisLevels() int {
	if s.Levels == 0 {
		return DefaultMorrisLevels
	}
	return s.Levels
}

// unitValue maps u in [0, 1] into the range of parameter d, rounding a
// whole-number parameter.
func (c *Config) unitValue(d int, u float64) float64 {
	p := c.Sweep.Params[d]
	v := *p.From + float64(u*(*p.To-*p.From))
	if t, _ := c.resolve(p.Path); t.param != nil && t.param.Int {
		v = math.Round(v)
	}
	return roundNice(v)
}

// morris draws the Morris design (Morris 1991, as in Campolongo, Cariboni
// and Saltelli 2007): Points trajectories on a grid of p levels
// {0, 1/(p-1), ..., 1} of each parameter's range. A trajectory starts at
// a random grid point and moves one parameter at a time, in a random
// order, by Δ = p/(2(p-1)): up if that stays within the range, else down
// (with p even, each direction has probability one half). A radial design
// (Campolongo, Saltelli and Cariboni 2011) makes every move from the
// trajectory's first point instead of the point before: its k+1 points
// are the start and the start with one parameter moved. Each trajectory
// has k+1 points, so the design has Points·(k+1). It also returns, for
// every point, the parameter that changed from its reference point (the
// point before, or the first of a radial trajectory; -1 at the start of a
// trajectory). The draws come from the scenario seed.
func (c *Config) morris() ([]Point, []int) {
	s := c.Sweep
	k, p := len(s.Params), s.morrisLevels()
	delta := float64(p) / (2 * float64(p-1))
	pts := make([]Point, 0, s.Points*(k+1))
	moves := make([]int, 0, s.Points*(k+1))
	for tr := range s.Points {
		r := stream(c.Seed, purposeMorris, 0, tr)
		x := make([]float64, k)
		for d := range x {
			x[d] = float64(r.intn(p)) / float64(p-1)
		}
		order := make([]int, k)
		for i := range order {
			order[i] = i
		}
		for i := k - 1; i > 0; i-- {
			j := r.intn(i + 1)
			order[i], order[j] = order[j], order[i]
		}
		add := func(moved int) {
			vals := make([]float64, k)
			for d := range x {
				vals[d] = c.unitValue(d, x[d])
			}
			pts = append(pts, Point{Index: len(pts), Values: vals})
			moves = append(moves, moved)
		}
		add(-1)
		for _, d := range order {
			old := x[d]
			if x[d]+delta <= 1+1e-12 {
				x[d] += delta
			} else {
				x[d] -= delta
			}
			x[d] = math.Min(1, math.Max(0, x[d]))
			add(d)
			if s.Radial {
				x[d] = old
			}
		}
	}
	return pts, moves
}

// MorrisMoves returns, for every point of a Morris design, the parameter
// that changed from its reference point (the point before, or the
// trajectory's first in a radial design), or -1 where a trajectory
// starts; nil for any other design.
func (c *Config) MorrisMoves() []int {
	if c.Sweep == nil || c.Sweep.Design != DesignMorris {
		return nil
	}
	_, moves := c.morris()
	return moves
}

// saltelli draws the design of Saltelli et al. (2010) for first-order and
// total Sobol indices: two matrices A and B of Points rows over the
// parameters' ranges, and for every parameter i the matrix A_B(i), A with
// column i taken from B. Row j gives k+2 points in this order: A_j, B_j,
// A_B(1)_j, ..., A_B(k)_j. A and B are quasi-random, as Saltelli et al.
// advise: row j is point j of a 2k-dimensional Sobol' sequence (A the
// first k coordinates, B the next k), scrambled from the scenario seed
// (see newSobolSeq), so that the rows fill the parameter space evenly and
// the indices converge faster than with independent draws; another seed
// is another scramble. Beyond MaxSobolDims/2 parameters, and in
// pseudoSaltelli, the rows are independent uniform draws from the seed
// instead. Either way a row depends on the seed and its number alone, so
// the design is the same on every machine and a larger N extends a
// smaller one.
func (c *Config) saltelli() []Point {
	return c.saltelliDesign(2*len(c.Sweep.Params) > MaxSobolDims)
}

// saltelliDesign is saltelli, with pseudo-random rows when pseudo is true.
func (c *Config) saltelliDesign(pseudo bool) []Point {
	s := c.Sweep
	k := len(s.Params)
	pts := make([]Point, 0, s.Points*(k+2))
	rows := saltelliRows(c.Seed, s.Points, k, pseudo)
	for _, ab := range rows {
		a, b := ab[:k], ab[k:]
		add := func(u []float64) {
			vals := make([]float64, k)
			for d := range u {
				vals[d] = c.unitValue(d, u[d])
			}
			pts = append(pts, Point{Index: len(pts), Values: vals})
		}
		add(a)
		add(b)
		for i := range k {
			ab := append([]float64(nil), a...)
			ab[i] = b[i]
			add(ab)
		}
	}
	return pts
}

// saltelliRows returns the n rows of a Saltelli design over k parameters
// in [0, 1]: each row A_j then B_j, 2k numbers, quasi-random (a Sobol'
// sequence scrambled from seed) or, with pseudo, independent uniform
// draws from seed.
func saltelliRows(seed uint64, n, k int, pseudo bool) [][]float64 {
	rows := make([][]float64, n)
	if pseudo {
		for row := range rows {
			r := stream(seed, purposeSobol, 0, row)
			u := make([]float64, 2*k)
			for d := range u {
				u[d] = r.float()
			}
			rows[row] = u
		}
		return rows
	}
	// The pseudo-random rows take step 0 of purposeSobol; the scramble
	// step 1.
	r := stream(seed, purposeSobol, 1, 0)
	q := newSobolSeq(2*k, &r)
	for row := range rows {
		rows[row] = make([]float64, 2*k)
		q.at(uint32(row), rows[row])
	}
	return rows
}

// metricNames are the per-run figures (RunResult.Metrics) a sensitivity
// design may analyse, besides transfer_to_<region>.
var metricNames = []string{
	MetricDiscovered, MetricCommercialized, MetricCommercialShare, MetricLost,
	MetricFinalAdoption, MetricAdoptionAt24, MetricAdoptionAt60, MetricT50,
	MetricT50KM, MetricReached50, MetricCommercialRate, MetricLagMedian,
}

// validateSensitivity checks a Morris or Sobol sweep.
func (c *Config) validateSensitivity(add func(string, string, ...any)) {
	s := c.Sweep
	switch s.Seeds {
	case "", SeedsCommon, SeedsIndependent:
	default:
		add("sweep.seeds", "%q is not %q or %q", s.Seeds, SeedsCommon, SeedsIndependent)
	}
	if s.Points < 2 {
		add("sweep.points", "a %s design needs at least 2 %s, got %d", s.Design, samplesWord(s.Design), s.Points)
	} else if n := SensitivityPoints(s.Design, s.Points, len(s.Params)); n > MaxSweepPoints {
		add("sweep.points", "%d %s over %d parameters make %d points, more than the cap of %d", s.Points, samplesWord(s.Design), len(s.Params), n, MaxSweepPoints)
	}
	if s.Design == DesignMorris {
		if l := s.morrisLevels(); l < 2 || l%2 != 0 || l > 100 {
			add("sweep.levels", "a Morris grid needs an even number of levels in [2, 100], got %d", l)
		}
	} else {
		if s.Levels != 0 {
			add("sweep.levels", "levels applies only to design: %s", DesignMorris)
		}
		if s.Radial {
			add("sweep.radial", "radial applies only to design: %s", DesignMorris)
		}
	}
	for i, m := range s.Metrics {
		if !knownMetric(m, c) {
			add(fmt.Sprintf("sweep.metrics[%d]", i), "%q is not a per-run figure (%s, or transfer_to_<region>)", m, strings.Join(metricNames, ", "))
		}
	}
	if len(s.Params) == 0 {
		add("sweep.params", "a %s design needs at least one parameter", s.Design)
	}
	seen := map[string]bool{}
	for i, p := range s.Params {
		f := fmt.Sprintf("sweep.params[%d]", i)
		t, err := c.resolve(p.Path)
		if err != nil {
			add(f+".path", "%s", err.Error())
			continue
		}
		if p.Path == "steps" || p.Path == "replications" {
			add(f+".path", "%s cannot be varied: every point must have the same shape of output", p.Path)
			continue
		}
		if seen[p.Path] {
			add(f+".path", "%s is varied twice", p.Path)
		}
		seen[p.Path] = true
		if len(p.Values) > 0 || p.Step != nil {
			add(f, "a %s design samples a range: give from and to only", s.Design)
			continue
		}
		if p.From == nil || p.To == nil {
			add(f, "give from and to")
			continue
		}
		pt := func(field string) target { return target{t.param, t.i, t.j, field} }
		checkValue(pt(f+".from"), *p.From, add)
		checkValue(pt(f+".to"), *p.To, add)
		if *p.To <= *p.From {
			add(f+".to", "%s must be above from (%s)", fmtNum(*p.To), fmtNum(*p.From))
		}
	}
}

// samplesWord names what Sweep.Points counts in a sensitivity design.
func samplesWord(design string) string {
	if design == DesignSobol {
		return "base rows"
	}
	return "trajectories"
}

// knownMetric reports whether name is a per-run figure of c's runs.
func knownMetric(name string, c *Config) bool {
	for _, m := range metricNames {
		if m == name {
			return true
		}
	}
	if to, ok := strings.CutPrefix(name, MetricTransferToPrefix); ok {
		for _, r := range c.Regions {
			if r.ID == to {
				return true
			}
		}
	}
	return false
}

// validateSensitivityBlock checks the sensitivity block: as the sweep it
// turns into, with the problems named by the block's own fields.
func (c *Config) validateSensitivityBlock(add func(string, string, ...any)) {
	s := c.Sensitivity
	if s == nil {
		return
	}
	switch s.Method {
	case "", DesignMorris, DesignSobol:
	default:
		add("sensitivity.method", "%q is not %q or %q", s.Method, DesignMorris, DesignSobol)
		return
	}
	d := *c
	d.Sweep = s.Sweep()
	rename := strings.NewReplacer("sweep.points", "sensitivity.samples", "sweep.", "sensitivity.", ".from", ".low", ".to", ".high")
	d.validateSensitivity(func(field, format string, args ...any) {
		add(rename.Replace(field), "%s", strings.NewReplacer("give from and to", "give low and high", "above from", "above low", "trajectories", "samples", "base rows", "samples").Replace(fmt.Sprintf(format, args...)))
	})
}
