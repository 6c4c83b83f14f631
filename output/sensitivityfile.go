package output

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/triad-sim/triad/sim"
)

// Index names of sensitivity.csv.
const (
	IndexMu     = "mu"
	IndexMuStar = "mu_star"
	IndexSigma  = "sigma"
	IndexS1     = "S1"
	IndexST     = "ST"
)

// SensitivityRow is one index of one parameter for one figure.
type SensitivityRow struct {
	Metric, Region string
	Param          string
	Index          string
	Estimate
	// NoiseShare is that of the figure (see NoiseShare), the same on every
	// row of the figure.
	NoiseShare float64
}

// SensitivityParam is one varied parameter and its range.
type SensitivityParam struct {
	Path      string
	Low, High float64
}

// SkippedFigure is a figure the analysis left out, and why.
type SkippedFigure struct {
	Metric string `json:"metric"`
	Region string `json:"region"`
	Reason string `json:"reason"`
}

// SensitivityResult is a global sensitivity analysis of a Morris or Sobol
// sweep: every index of every parameter for every analysed figure.
type SensitivityResult struct {
	// Method is sim.DesignMorris or sim.DesignSobol.
	Method string
	Params []SensitivityParam
	// Samples counts trajectories (Morris) or base rows (Sobol); Levels is
	// the Morris grid's; Replicates the runs averaged at every point.
	Samples, Levels, Replicates int
	// Radial is true for a radial Morris design.
	Radial bool
	// Rows come by figure (metric in the order analysed, then region:
	// whole scenario first, then Config order), then parameter, then index.
	Rows []SensitivityRow
	// Skipped are the figures left out; Censored the times (t50, lags)
	// that some points never reached, analysed with the run's length in
	// their place, a lower bound.
	Skipped, Censored []SkippedFigure
}

// SensitivityCollector gathers the per-run figures of a sensitivity
// sweep point by point, so that the runs themselves need not stay in
// memory, and then computes the indices.
type SensitivityCollector struct {
	cfg     *sim.Config
	regions []string
	metrics []string
	keys    []sim.Metric
	// values[key][point] are the point's replicate values of a figure,
	// in the order of reps[point], the replications' numbers.
	values map[sim.Metric][][]float64
	reps   [][]int
	points int
}

// SensitivityMetrics returns the figures a sensitivity sweep analyses: its
// Metrics, or the headline figures of the metric catalogue.
func SensitivityMetrics(sw *sim.Sweep) []string {
	if len(sw.Metrics) > 0 {
		return sw.Metrics
	}
	var ms []string
	for _, m := range catalogue {
		if m.Headline {
			ms = append(ms, m.Name)
		}
	}
	return ms
}

// NewSensitivityCollector starts collecting the figures of cfg's
// sensitivity sweep. It panics if cfg has no Morris or Sobol sweep.
func NewSensitivityCollector(cfg *sim.Config) *SensitivityCollector {
	if !cfg.Sweep.IsSensitivity() {
		panic("output: NewSensitivityCollector needs a morris or sobol sweep")
	}
	return &SensitivityCollector{cfg: cfg, regions: cfg.RegionIDs(), metrics: SensitivityMetrics(cfg.Sweep), values: map[sim.Metric][][]float64{}}
}

// Add records the runs of the next point (points must come in order);
// nil runs are skipped.
func (c *SensitivityCollector) Add(runs []*sim.RunResult) {
	cur := map[sim.Metric][]float64{}
	var reps []int
	for _, r := range SortedRuns(runs) {
		reps = append(reps, r.Replicate)
		for _, m := range r.Metrics(c.regions) {
			if !slices.Contains(c.metrics, m.Name) {
				continue
			}
			k := sim.Metric{Name: m.Name, Region: m.Region}
			if _, ok := c.values[k]; !ok {
				c.keys = append(c.keys, k)
				c.values[k] = make([][]float64, c.points)
			}
			cur[k] = append(cur[k], m.Value)
		}
	}
	for _, k := range c.keys {
		c.values[k] = append(c.values[k], cur[k])
	}
	c.reps = append(c.reps, reps)
	c.points++
}

// sortedKeys returns the collected figures in the order of the analysis:
// by metric as analysed, then region as first seen (whole scenario
// first, then Config order).
func (c *SensitivityCollector) sortedKeys() []sim.Metric {
	keys := slices.Clone(c.keys)
	slices.SortStableFunc(keys, func(a, b sim.Metric) int {
		return slices.Index(c.metrics, a.Name) - slices.Index(c.metrics, b.Name)
	})
	return keys
}

// WriteFiguresCSV writes the per-run figures the analysis reads, one row
// per run, under the header
//
//	point,replicate,<figure>,...
//
// where each figure is named metric[region] (metric[all] for the whole
// scenario), in the order of the analysis; rows come by point, then
// replicate. A figure a run has no value of is empty. Floats are written
// shortest round-trip, so the indices can be computed again from it.
func (c *SensitivityCollector) WriteFiguresCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	keys := c.sortedKeys()
	head := []string{"point", "replicate"}
	for _, k := range keys {
		region := k.Region
		if region == "" {
			region = "all"
		}
		head = append(head, k.Name+"["+region+"]")
	}
	cw.Write(head)
	row := make([]string, len(head))
	for p, reps := range c.reps {
		for i, rep := range reps {
			row[0], row[1] = strconv.Itoa(p), strconv.Itoa(rep)
			for j, k := range keys {
				row[2+j] = csvFloat(c.values[k][p][i])
			}
			cw.Write(row)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write figures: %w", err)
	}
	return nil
}

// Result computes the indices of every collected figure, on the mean of
// each point's replications (their non-missing values), with intervals that
// resample the replications as well as the design (see Bootstrap). A time missing at
// some points (t50 where no innovation reached 50 % in any replicate) is
// taken there as the run's length, a lower bound, and listed in
// Censored; any other figure missing at some point is skipped with its
// reason. Each figure's bootstrap is seeded from the
// scenario seed and the figure's place, so the result is a function of
// the runs alone.
func (c *SensitivityCollector) Result() SensitivityResult {
	sw := c.cfg.Sweep
	res := SensitivityResult{Method: sw.Design, Samples: sw.Points, Replicates: c.cfg.Replicates}
	if sw.Design == sim.DesignMorris {
		res.Levels, res.Radial = sw.Levels, sw.Radial
		if res.Levels == 0 {
			res.Levels = sim.DefaultMorrisLevels
		}
	}
	for _, p := range sw.Params {
		res.Params = append(res.Params, SensitivityParam{Path: p.Path, Low: *p.From, High: *p.To})
	}
	keys := c.sortedKeys()
	var moves []int
	var x [][]float64
	if sw.Design == sim.DesignMorris {
		moves = c.cfg.MorrisMoves()
		for _, pt := range c.cfg.Points() {
			u := make([]float64, len(pt.Values))
			for d, v := range pt.Values {
				u[d] = (v - res.Params[d].Low) / (res.Params[d].High - res.Params[d].Low)
			}
			x = append(x, u)
		}
	}
	k := len(sw.Params)
	for n, key := range keys {
		reps := c.values[key]
		missing := 0
		for _, rs := range reps {
			if len(finiteValues(rs)) == 0 {
				missing++
			}
		}
		if missing > 0 && Metric(key.Name).Kind == KindSteps && missing < len(reps) {
			// A time not reached within the run is at least the run's
			// length: count it as that, and say so.
			filled := make([][]float64, len(reps))
			for j, rs := range reps {
				filled[j] = rs
				if len(finiteValues(rs)) == 0 {
					filled[j] = []float64{float64(c.cfg.Steps)}
				}
			}
			reps = filled
			res.Censored = append(res.Censored, SkippedFigure{key.Name, key.Region,
				fmt.Sprintf("not reached at %d of %d points, counted there as the run's %d steps", missing, len(reps), c.cfg.Steps)})
		} else if missing > 0 {
			res.Skipped = append(res.Skipped, SkippedFigure{key.Name, key.Region,
				fmt.Sprintf("no value at %d of %d points (no run had one there)", missing, len(reps))})
			continue
		}
		noise := NoiseShare(c.values[key])
		b := Bootstrap{Resamples: DefaultResamples, Seed: c.cfg.Seed ^ uint64(n+1)*0x9e3779b97f4a7c15}
		add := func(param int, index string, e Estimate) {
			res.Rows = append(res.Rows, SensitivityRow{Metric: key.Name, Region: key.Region, Param: sw.Params[param].Path, Index: index, Estimate: e, NoiseShare: noise})
		}
		if sw.Design == sim.DesignMorris {
			for _, m := range Morris(x, reps, moves, k, sw.Radial, b) {
				add(m.Param, IndexMuStar, m.MuStar)
				add(m.Param, IndexMu, m.Mu)
				add(m.Param, IndexSigma, m.Sigma)
			}
			continue
		}
		for _, s := range Sobol(reps, k, b) {
			add(s.Param, IndexS1, s.S1)
			add(s.Param, IndexST, s.ST)
		}
	}
	return res
}

// WriteSensitivityCSV writes the indices as CSV under the header
//
//	method,metric,region,parameter,index,value,ci_low,ci_high,noise_share
//
// region is empty for a whole-scenario figure; index is mu_star, mu and
// sigma (Morris) or S1 and ST (Sobol); ci_low and ci_high bound the 95 %
// bootstrap interval; noise_share is the figure's (see NoiseShare).
// Missing numbers are empty.
func WriteSensitivityCSV(w io.Writer, r SensitivityResult) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"method", "metric", "region", "parameter", "index", "value", "ci_low", "ci_high", "noise_share"})
	for _, row := range r.Rows {
		cw.Write([]string{r.Method, row.Metric, row.Region, row.Param, row.Index,
			csvFloat(row.Value), csvFloat(row.CILow), csvFloat(row.CIHigh), csvFloat(row.NoiseShare)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write sensitivity: %w", err)
	}
	return nil
}

// csvFloat formats v for CSV, empty when it is NaN or infinite.
func csvFloat(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return formatFloat(v)
}

// sensitivityJSON is the shape of sensitivity.json.
type sensitivityJSON struct {
	Method     string                 `json:"method"`
	Samples    int                    `json:"samples"`
	Levels     int                    `json:"levels,omitempty"`
	Radial     bool                   `json:"radial,omitempty"`
	Replicates int                    `json:"replicates"`
	Params     []sensitivityParamJSON `json:"params"`
	Indices    []sensitivityRowJSON   `json:"indices"`
	Skipped    []SkippedFigure        `json:"skipped"`
	Censored   []SkippedFigure        `json:"censored"`
}

type sensitivityParamJSON struct {
	Path string  `json:"path"`
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

type sensitivityRowJSON struct {
	Metric     string      `json:"metric"`
	Region     string      `json:"region"`
	Parameter  string      `json:"parameter"`
	Index      string      `json:"index"`
	Value      *float64    `json:"value"`
	CI95       [2]*float64 `json:"ci95"`
	NoiseShare *float64    `json:"noise_share"`
}

// WriteSensitivityJSON writes the analysis as JSON indented by two
// spaces: the method, samples, levels (Morris), replications, the
// parameters with their ranges, every index as in WriteSensitivityCSV
// (with "ci95": [low, high]; null for a missing number), the skipped
// figures and the censored ones (see SensitivityResult), each with its
// reason.
func WriteSensitivityJSON(w io.Writer, r SensitivityResult) error {
	out := sensitivityJSON{Method: r.Method, Samples: r.Samples, Levels: r.Levels, Radial: r.Radial, Replicates: r.Replicates,
		Params: []sensitivityParamJSON{}, Indices: []sensitivityRowJSON{}, Skipped: r.Skipped, Censored: r.Censored}
	if out.Skipped == nil {
		out.Skipped = []SkippedFigure{}
	}
	if out.Censored == nil {
		out.Censored = []SkippedFigure{}
	}
	for _, p := range r.Params {
		out.Params = append(out.Params, sensitivityParamJSON(p))
	}
	for _, row := range r.Rows {
		out.Indices = append(out.Indices, sensitivityRowJSON{row.Metric, row.Region, row.Param, row.Index,
			Nullable(row.Value), [2]*float64{Nullable(row.CILow), Nullable(row.CIHigh)}, Nullable(row.NoiseShare)})
	}
	if err := WriteJSON(w, out); err != nil {
		return fmt.Errorf("write sensitivity: %w", err)
	}
	return nil
}

// ReadSensitivityJSON reads what WriteSensitivityJSON wrote, so that a
// report rebuilt from the folder shows what the run showed: every number
// reads back to the same float64, and null to NaN.
func ReadSensitivityJSON(r io.Reader) (SensitivityResult, error) {
	var in sensitivityJSON
	if err := json.NewDecoder(r).Decode(&in); err != nil {
		return SensitivityResult{}, fmt.Errorf("read sensitivity: %w", err)
	}
	res := SensitivityResult{Method: in.Method, Samples: in.Samples, Levels: in.Levels, Radial: in.Radial, Replicates: in.Replicates, Skipped: in.Skipped, Censored: in.Censored}
	for _, p := range in.Params {
		res.Params = append(res.Params, SensitivityParam(p))
	}
	num := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	known := map[string]bool{}
	for _, p := range res.Params {
		known[p.Path] = true
	}
	for _, x := range in.Indices {
		if !known[x.Parameter] {
			return SensitivityResult{}, fmt.Errorf("read sensitivity: an index of %s, which is not one of its parameters", x.Parameter)
		}
		res.Rows = append(res.Rows, SensitivityRow{Metric: x.Metric, Region: x.Region, Param: x.Parameter, Index: x.Index,
			Estimate: Estimate{num(x.Value), num(x.CI95[0]), num(x.CI95[1])}, NoiseShare: num(x.NoiseShare)})
	}
	return res, nil
}

// SensitivityFigure is the indices of one analysed figure of a
// sensitivity analysis, for its chart.
type SensitivityFigure struct {
	Metric, Region string
	// Index maps an index name (IndexMuStar, IndexS1, ...) to its estimate
	// for each parameter, in the order of SensitivityResult.Params; a
	// parameter without a row has NaN.
	Index map[string][]Estimate
}

// Figures groups r's rows by figure, in the order of the rows.
func (r SensitivityResult) Figures() []SensitivityFigure {
	at := map[string]int{}
	for i, p := range r.Params {
		at[p.Path] = i
	}
	var out []SensitivityFigure
	for _, row := range r.Rows {
		if n := len(out); n == 0 || out[n-1].Metric != row.Metric || out[n-1].Region != row.Region {
			out = append(out, SensitivityFigure{Metric: row.Metric, Region: row.Region, Index: map[string][]Estimate{}})
		}
		f := &out[len(out)-1]
		es := f.Index[row.Index]
		if es == nil {
			es = make([]Estimate, len(r.Params))
			for i := range es {
				es[i] = Estimate{math.NaN(), math.NaN(), math.NaN()}
			}
			f.Index[row.Index] = es
		}
		es[at[row.Param]] = row.Estimate
	}
	return out
}

// Ranked is one parameter's importance for a figure: μ* (Morris) or ST
// (Sobol), with its interval.
type Ranked struct {
	Param string
	Estimate
}

// FigureDrivers is the ranking of the parameters for one figure.
type FigureDrivers struct {
	Metric, Region string
	// Index is the index ranked by: mu_star or ST.
	Index string
	// Ranked lists every parameter, most important first.
	Ranked []Ranked
	// Drivers counts the leading parameters that drive the figure (see
	// Drivers).
	Drivers    int
	NoiseShare float64
}

// driverShare is how large a parameter's μ* must be, as a share of the
// largest, for it to count as a driver of a figure in a Morris analysis;
// driverST is the total index a driver needs in a Sobol analysis.
const (
	driverShare = 0.25
	driverST    = 0.1
)

// noisy is the noise share above which a ranking is flagged as mostly
// noise.
const noisy = 0.5

// Drivers ranks the parameters of every figure of r, by μ* (Morris) or
// ST (Sobol), in the order of r's rows. A parameter drives a figure if
// its μ* is at least a quarter of the largest (Morris) or its ST at
// least 0.1 (Sobol).
func (r SensitivityResult) Drivers() []FigureDrivers {
	index := IndexMuStar
	if r.Method == sim.DesignSobol {
		index = IndexST
	}
	var out []FigureDrivers
	for _, row := range r.Rows {
		if row.Index != index {
			continue
		}
		if n := len(out); n == 0 || out[n-1].Metric != row.Metric || out[n-1].Region != row.Region {
			out = append(out, FigureDrivers{Metric: row.Metric, Region: row.Region, Index: index, NoiseShare: row.NoiseShare})
		}
		f := &out[len(out)-1]
		f.Ranked = append(f.Ranked, Ranked{row.Param, row.Estimate})
	}
	for i := range out {
		f := &out[i]
		slices.SortStableFunc(f.Ranked, func(a, b Ranked) int { return -cmp.Compare(a.Value, b.Value) })
		top := 0.0
		if len(f.Ranked) > 0 && !math.IsNaN(f.Ranked[0].Value) {
			top = f.Ranked[0].Value
		}
		for _, p := range f.Ranked {
			drives := top > 0 && p.Value >= driverShare*top
			if index == IndexST {
				drives = p.Value >= driverST
			}
			if !drives {
				break
			}
			f.Drivers++
		}
	}
	return out
}

// Sentence says in words which parameters drive the figure, for the
// report and the terminal, e.g. "t50 of central: driven by diffusion.q
// (μ* 52.1 steps); then, less than a quarter as much, regions.central.p
// (6.4), regions.central.reach (5.0) and regions.gba.p (4.7); the other 14
// less still. Replicate noise is 0 % of the spread." The drivers are
// those of Drivers; up to three more follow. Times are counted in u (the
// zero Units: steps).
func (f FigureDrivers) Sentence(regionName func(string) string, u Units) string {
	m := Metric(f.Metric).In(u)
	var b strings.Builder
	b.WriteString(m.Label)
	if f.Region != "" {
		fmt.Fprintf(&b, " of %s", regionName(f.Region))
	}
	name := "μ*"
	if f.Index == IndexST {
		name = "ST"
	}
	num := func(v float64) string {
		if f.Index == IndexST {
			return fmt.Sprintf("%.2f", v)
		}
		return fmt.Sprintf(m.verb(), v)
	}
	switch {
	case len(f.Ranked) == 0 || !(f.Ranked[0].Value > 0):
		b.WriteString(": no parameter moves it within the ranges")
	case f.Drivers == 0:
		fmt.Fprintf(&b, ": no parameter stands out; the largest is %s (%s %s)", f.Ranked[0].Param, name, num(f.Ranked[0].Value))
	default:
		for i, p := range f.Ranked[:f.Drivers] {
			switch {
			case i == 0:
				fmt.Fprintf(&b, ": driven by %s (%s %s", p.Param, name, num(p.Value))
				if f.Index == IndexMuStar && m.Unit != "" {
					b.WriteString(" " + m.Unit)
				}
				b.WriteString(")")
			case i == f.Drivers-1:
				fmt.Fprintf(&b, " and %s (%s)", p.Param, num(p.Value))
			default:
				fmt.Fprintf(&b, ", %s (%s)", p.Param, num(p.Value))
			}
		}
		var next []string
		for _, p := range f.Ranked[f.Drivers:min(f.Drivers+3, len(f.Ranked))] {
			if p.Value > 0 {
				next = append(next, fmt.Sprintf("%s (%s)", p.Param, num(p.Value)))
			}
		}
		if len(next) > 0 {
			less := "less than a quarter as much"
			if f.Index == IndexST {
				less = fmt.Sprintf("below %.1f", driverST)
			}
			fmt.Fprintf(&b, "; then, %s, %s", less, joinAnd(next))
			switch rest := len(f.Ranked) - f.Drivers - len(next); {
			case rest == 1:
				b.WriteString("; the remaining one less still")
			case rest > 1:
				fmt.Fprintf(&b, "; the other %d less still", rest)
			}
		}
	}
	b.WriteString(".")
	if !math.IsNaN(f.NoiseShare) {
		fmt.Fprintf(&b, " Replicate noise is %.0f %% of the spread", 100*f.NoiseShare)
		if f.NoiseShare > noisy {
			b.WriteString(": the ranking may be mostly noise; more replications would sharpen it")
		}
		b.WriteString(".")
	}
	return b.String()
}

// joinAnd joins items as "a", "a and b" or "a, b and c".
func joinAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
