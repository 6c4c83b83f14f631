package output

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/gonum/stat/distuv"

	"triad/sim"
)

// RunSet is one side of a comparison: the finished runs of one scenario
// (one output folder, say) under a label that names it in reports.
type RunSet struct {
	Label string
	// Config is the scenario the runs come from; its regions' roles choose
	// the default figures and its policies are marked on CompareChart.
	Config sim.Config
	// Regions are the region ids in Config order.
	Regions []string
	// Runs may hold nil runs, which are skipped.
	Runs []*sim.RunResult
}

// Comparison is the outcome of Compare: each figure in each set, and the
// difference of every later set to the first.
type Comparison struct {
	// Sets are the sets' labels and Runs their numbers of finished runs.
	Sets []string
	Runs []int
	// Regions are the region ids shared by all sets.
	Regions []string
	Rows    []CompareRow
}

// CompareRow compares one figure for one region ("" for a whole-scenario
// figure) across the sets.
type CompareRow struct {
	Metric, Region string
	// Stats holds the figure's summary in each set, in the order of
	// Comparison.Sets.
	Stats []Stat
	// Diffs holds one Difference per set after the first: Diffs[i-1]
	// compares set i with set 0.
	Diffs []Difference
}

// Difference is the difference between the means of a figure in two sets,
// B − A, with Welch's t-test, which does not assume equal variances.
// With sample sizes n, sample variances s² and SE² = s²_A/n_A + s²_B/n_B:
//
//	t  = (mean_B − mean_A) / SE
//	DF = SE⁴ / ((s²_A/n_A)²/(n_A−1) + (s²_B/n_B)²/(n_B−1))   (Welch–Satterthwaite)
//	CI = (mean_B − mean_A) ∓ t₀.₉₇₅(DF)·SE
//	P  = 2·F(−|t|), F the CDF of Student's t with DF degrees of freedom
//
// Degenerate cases: when either set has fewer than two values there is no
// spread to test against, so DF, the interval and P are NaN (Mean is still
// the difference, or NaN when a set has no value). When both sets have
// zero spread (SE = 0) the difference is exact: DF is NaN, the interval
// has zero width, and P is 1 for equal means and 0 for different ones.
type Difference struct {
	// Mean is mean_B − mean_A.
	Mean float64
	// CILow and CIHigh bound the 95 % confidence interval of Mean.
	CILow, CIHigh float64
	// DF is the Welch–Satterthwaite degrees of freedom.
	DF float64
	// P is the two-sided p-value of the test of equal means.
	P float64
}

// HalfWidth returns half the width of the confidence interval, the "±" of
// Mean; it is NaN when there is no interval.
func (d Difference) HalfWidth() float64 { return (d.CIHigh - d.CILow) / 2 }

// welch returns the Difference b − a from the two summaries (their N, Mean
// and SD).
func welch(a, b Stat) Difference {
	nan := math.NaN()
	d := Difference{Mean: b.Mean - a.Mean, CILow: nan, CIHigh: nan, DF: nan, P: nan}
	if a.N < 2 || b.N < 2 {
		return d
	}
	va, vb := a.SD*a.SD/float64(a.N), b.SD*b.SD/float64(b.N)
	se2 := va + vb
	if se2 == 0 {
		d.CILow, d.CIHigh = d.Mean, d.Mean
		d.P = 0
		if d.Mean == 0 {
			d.P = 1
		}
		return d
	}
	d.DF = se2 * se2 / (va*va/float64(a.N-1) + vb*vb/float64(b.N-1))
	se := math.Sqrt(se2)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: d.DF}
	h := t.Quantile(0.975) * se
	d.CILow, d.CIHigh = d.Mean-h, d.Mean+h
	d.P = 2 * t.CDF(-math.Abs(d.Mean/se))
	return d
}

// defaultMetrics are the figures Compare reports when given none. The
// share of commercialization is reported only for the accelerator-role
// regions (see acceleratorRegions).
var defaultMetrics = []string{sim.MetricT50, sim.MetricFinalAdoption, sim.MetricCommercialShare, sim.MetricLagMedian}

// Compare summarizes each figure named in metrics (sim's metric names) in
// every set and compares each later set with the first (see Difference).
// A figure is compared for every region it exists for ("" for
// whole-scenario figures), in region order. Without metrics it compares
// the time to 50 % adoption (t50) and the final adoption share of every
// region, the share of commercialization of the regions whose role is
// "accelerator" in the first set's Config (of every region when none is),
// and the median lab-to-market lag.
//
// It returns an error when there are fewer than two sets, when the sets'
// regions differ (the error names both lists), when a set has no finished
// run (wrapping ErrNoRuns) or when a metric is unknown.
func Compare(sets []RunSet, metrics []string) (Comparison, error) {
	if len(sets) < 2 {
		return Comparison{}, fmt.Errorf("compare: need at least two sets, got %d", len(sets))
	}
	if err := sameRegions(sets); err != nil {
		return Comparison{}, fmt.Errorf("compare: %w", err)
	}
	c := Comparison{Regions: sets[0].Regions}
	sums := make([]Summary, len(sets))
	for i, s := range sets {
		n := len(sortedRuns(s.Runs))
		if n == 0 {
			return Comparison{}, fmt.Errorf("compare: set %q: %w", s.Label, ErrNoRuns)
		}
		sums[i] = Summarize(s.Regions, s.Runs)
		c.Sets = append(c.Sets, s.Label)
		c.Runs = append(c.Runs, n)
	}
	keys, err := compareKeys(&sets[0].Config, sums[0], metrics)
	if err != nil {
		return Comparison{}, fmt.Errorf("compare: %w", err)
	}
	for _, k := range keys {
		row := CompareRow{Metric: k.Name, Region: k.Region, Stats: make([]Stat, len(sets))}
		for i, s := range sums {
			st, ok := s.Get(k.Name, k.Region)
			if !ok {
				panic(fmt.Sprintf("output: set %q has no metric %s/%s", sets[i].Label, k.Name, k.Region))
			}
			row.Stats[i] = st
			if i > 0 {
				row.Diffs = append(row.Diffs, welch(row.Stats[0], st))
			}
		}
		c.Rows = append(c.Rows, row)
	}
	return c, nil
}

// sameRegions returns an error naming both region lists when a set's
// regions differ from the first set's.
func sameRegions(sets []RunSet) error {
	for _, s := range sets[1:] {
		if !slices.Equal(s.Regions, sets[0].Regions) {
			return fmt.Errorf("sets %q and %q have different regions: [%s] and [%s]; only runs over the same regions can be compared",
				sets[0].Label, s.Label, strings.Join(sets[0].Regions, " "), strings.Join(s.Regions, " "))
		}
	}
	return nil
}

// compareKeys returns the (metric, region) pairs to compare, in the order
// of metrics and, within a metric, of s; Metric.Value is unused.
func compareKeys(cfg *sim.Config, s Summary, metrics []string) ([]sim.Metric, error) {
	defaults := len(metrics) == 0
	if defaults {
		metrics = defaultMetrics
	}
	acc := map[string]bool{}
	for _, r := range acceleratorRegions(cfg) {
		acc[cfg.Regions[r].ID] = true
	}
	var keys []sim.Metric
	for _, m := range metrics {
		found := false
		for _, st := range s {
			if st.Metric != m {
				continue
			}
			found = true
			if defaults && m == sim.MetricCommercialShare && !acc[st.Region] {
				continue
			}
			keys = append(keys, sim.Metric{Name: m, Region: st.Region})
		}
		if !found {
			return nil, fmt.Errorf("unknown metric %q (known: %s)", m, strings.Join(metricNames(s), ", "))
		}
	}
	return keys, nil
}

// metricNames returns the distinct metric names of s in order.
func metricNames(s Summary) []string {
	var names []string
	for _, st := range s {
		if !slices.Contains(names, st.Metric) {
			names = append(names, st.Metric)
		}
	}
	return names
}

// WriteCompareCSV writes c as CSV, one row per figure, region and set,
// under the header
//
//	metric,region,set,n,mean,ci_low,ci_high,diff,diff_ci_low,diff_ci_high,p_value
//
// The diff columns hold the Difference to the first set and are empty in
// the first set's rows. Floats are written in the shortest form that reads
// back exactly and NaN as "NaN".
func WriteCompareCSV(w io.Writer, c Comparison) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"metric", "region", "set", "n", "mean", "ci_low", "ci_high",
		"diff", "diff_ci_low", "diff_ci_high", "p_value"})
	for _, r := range c.Rows {
		for i, st := range r.Stats {
			rec := []string{r.Metric, r.Region, c.Sets[i], strconv.Itoa(st.N),
				formatFloat(st.Mean), formatFloat(st.CILow), formatFloat(st.CIHigh)}
			if i == 0 {
				rec = append(rec, "", "", "", "")
			} else {
				d := r.Diffs[i-1]
				rec = append(rec, formatFloat(d.Mean), formatFloat(d.CILow), formatFloat(d.CIHigh), formatFloat(d.P))
			}
			cw.Write(rec)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write comparison: %w", err)
	}
	return nil
}

// compareJSON is the shape of the comparison JSON file.
type compareJSON struct {
	Sets    []setJSON        `json:"sets"`
	Regions []string         `json:"regions"`
	Metrics []compareRowJSON `json:"metrics"`
}

// setJSON is one set in the comparison JSON file.
type setJSON struct {
	Label string `json:"label"`
	Runs  int    `json:"runs"`
}

// compareRowJSON is one figure for one region in the comparison JSON file.
type compareRowJSON struct {
	Metric string        `json:"metric"`
	Region string        `json:"region"`
	Sets   []setStatJSON `json:"sets"`
}

// setStatJSON is one set's summary of a figure, with its difference to
// the first set.
type setStatJSON struct {
	Set  string          `json:"set"`
	N    int             `json:"n"`
	Mean *float64        `json:"mean"`
	SD   *float64        `json:"sd"`
	CI95 [2]*float64     `json:"ci95"`
	Diff *differenceJSON `json:"diff,omitempty"`
}

// differenceJSON is the JSON form of a Difference.
type differenceJSON struct {
	Mean   *float64    `json:"mean"`
	CI95   [2]*float64 `json:"ci95"`
	DF     *float64    `json:"df"`
	PValue *float64    `json:"p_value"`
}

// WriteCompareJSON writes c as JSON indented by two spaces, in this shape:
//
//	{
//	  "sets": [{"label": "base", "runs": 20}, {"label": "open", "runs": 20}],
//	  "regions": ["bth", "gba"],
//	  "metrics": [
//	    {"metric": "t50", "region": "gba", "sets": [
//	      {"set": "base", "n": 20, "mean": 30.1, "sd": 2.5, "ci95": [28.9, 31.3]},
//	      {"set": "open", "n": 20, "mean": 27.4, "sd": 2.1, "ci95": [26.4, 28.4],
//	       "diff": {"mean": -2.7, "ci95": [-4.2, -1.2], "df": 36.9, "p_value": 0.0007}}
//	    ]},
//	    ...
//	  ]
//	}
//
// "diff" is the Difference to the first set, absent in the first set. NaN
// is written as null.
func WriteCompareJSON(w io.Writer, c Comparison) error {
	out := compareJSON{Regions: c.Regions, Metrics: make([]compareRowJSON, len(c.Rows))}
	for i, l := range c.Sets {
		out.Sets = append(out.Sets, setJSON{Label: l, Runs: c.Runs[i]})
	}
	for k, r := range c.Rows {
		rj := compareRowJSON{Metric: r.Metric, Region: r.Region, Sets: make([]setStatJSON, len(r.Stats))}
		for i, st := range r.Stats {
			sj := setStatJSON{
				Set:  c.Sets[i],
				N:    st.N,
				Mean: nullable(st.Mean),
				SD:   nullable(st.SD),
				CI95: [2]*float64{nullable(st.CILow), nullable(st.CIHigh)},
			}
			if i > 0 {
				d := r.Diffs[i-1]
				sj.Diff = &differenceJSON{
					Mean:   nullable(d.Mean),
					CI95:   [2]*float64{nullable(d.CILow), nullable(d.CIHigh)},
					DF:     nullable(d.DF),
					PValue: nullable(d.P),
				}
			}
			rj.Sets[i] = sj
		}
		out.Metrics[k] = rj
	}
	if err := encodeJSON(w, out); err != nil {
		return fmt.Errorf("write comparison: %w", err)
	}
	return nil
}

// significance is the level below which PrintCompare marks a p-value.
const significance = 0.05

// PrintCompare writes c as an aligned table for the terminal: one line per
// figure and region (the figure named on its first line only), with each
// set's mean ± the half-width of its 95 % confidence interval (and in how
// many runs the figure exists, when not in all), then for each later set
// its difference to the first (also ± half-width) and the p-value of
// Welch's t-test, marked "*" below 0.05. A footer line explains the mark.
// A figure that does not exist is shown as "-".
func PrintCompare(w io.Writer, c Comparison) error {
	bw := &errWriter{w: w}
	fmt.Fprint(bw, "comparing ")
	for i, l := range c.Sets {
		if i > 0 {
			fmt.Fprint(bw, ", ")
		}
		fmt.Fprintf(bw, "%s (%s)", l, runsNote(c.Runs[i]))
	}
	fmt.Fprint(bw, "\n\n")
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	head := []string{"figure", "region"}
	head = append(head, c.Sets...)
	for _, l := range c.Sets[1:] {
		head = append(head, l+" − "+c.Sets[0], "p")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	prev := ""
	for _, r := range c.Rows {
		name := ""
		if r.Metric != prev {
			name = metricLabel(r.Metric)
			prev = r.Metric
		}
		region := r.Region
		if region == "" {
			region = "all"
		}
		verb := metricVerb(r.Metric)
		cells := []string{name, region}
		for i, st := range r.Stats {
			cell := fmtPM(st, verb)
			if st.N < c.Runs[i] {
				cell += fmt.Sprintf(" (%d of %d runs)", st.N, c.Runs[i])
			}
			cells = append(cells, cell)
		}
		for _, d := range r.Diffs {
			cells = append(cells, fmtDiff(d, verb), fmtP(d.P))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write comparison: %w", err)
	}
	fmt.Fprintf(bw, "\n± is half the 95%% confidence interval; p is from Welch's two-sided t-test of the difference to %s; * marks p < %g\n",
		c.Sets[0], significance)
	if bw.err != nil {
		return fmt.Errorf("write comparison: %w", bw.err)
	}
	return nil
}

// metricLabel returns a metric's name for the terminal table.
func metricLabel(m string) string {
	switch m {
	case sim.MetricT50:
		return "t50 (steps)"
	case sim.MetricFinalAdoption:
		return "final adoption"
	case sim.MetricCommercialShare:
		return "commercialized share"
	case sim.MetricLagMedian:
		return "median lag (steps)"
	case sim.MetricReached50:
		return "reached 50% share"
	}
	return strings.ReplaceAll(m, "_", " ")
}

// metricVerb returns the format of a metric's numbers: three decimals for
// shares, one for counts and steps.
func metricVerb(m string) string {
	switch m {
	case sim.MetricFinalAdoption, sim.MetricCommercialShare, sim.MetricReached50:
		return "%.3f"
	}
	return "%.1f"
}

// fmtDiff formats a Difference as "+mean ± half-width" with verb, or "-"
// when there is no difference.
func fmtDiff(d Difference, verb string) string {
	if math.IsNaN(d.Mean) {
		return "-"
	}
	s := fmt.Sprintf(strings.Replace(verb, "%", "%+", 1), d.Mean)
	if h := d.HalfWidth(); !math.IsNaN(h) {
		s += " ± " + fmt.Sprintf(verb, h)
	}
	return s
}

// fmtP formats a p-value with three decimals ("<0.001" below that), marked
// "*" below significance, or "-" when there is none.
func fmtP(p float64) string {
	var s string
	switch {
	case math.IsNaN(p):
		return "-"
	case p < 0.001:
		s = "<0.001"
	default:
		s = fmt.Sprintf("%.3f", p)
		if p < significance && p >= significance-0.0005 {
			s = fmt.Sprintf("%.4f", p) // not "0.050 *"
		}
	}
	if p < significance {
		s += " *"
	}
	return s
}
