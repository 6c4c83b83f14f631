package output

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/triad-sim/triad/sim"
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
	// Pairing says, for each set after the first, whether its runs pair
	// with the first set's and why (Pairing[i-1] is set i's).
	Pairing []Pairing
	Rows    []CompareRow
	// Units name the first set's step, for the tables.
	Units Units
}

// Pairing says whether two sets of runs are paired, and why.
type Pairing struct {
	Paired bool
	// Why is a sentence for reports: what made the sets paired or not.
	Why string
}

// pairing decides whether the runs of b pair with those of a: the same
// number of runs, and replicate by replicate the same replicate number and
// run seed. compare gives both sides the same seeds, so its runs pair;
// finished folders made with different seeds or replicate counts do not.
func pairing(a, b []*sim.RunResult) Pairing {
	if len(a) != len(b) {
		return Pairing{false, fmt.Sprintf("independent sets: %d and %d runs, so no pairs; Welch's t-test", len(a), len(b))}
	}
	for k := range a {
		if a[k].Replicate != b[k].Replicate || a[k].Seed != b[k].Seed {
			return Pairing{false, fmt.Sprintf("independent sets: replicate %d ran on different seeds; Welch's t-test", a[k].Replicate)}
		}
	}
	test := "paired t-test on the per-replicate differences"
	if len(a) < FewPairs {
		test = fmt.Sprintf("exact Wilcoxon signed-rank test on the per-replicate differences (fewer than %d pairs; paired t beside it)", FewPairs)
	}
	return Pairing{true, fmt.Sprintf("paired: replicate by replicate the same seeds (%d pairs); %s", len(a), test)}
}

// runValues returns every per-run figure of runs (sorted, without nils)
// by metric and region, in the order of runs.
func runValues(regions []string, runs []*sim.RunResult) map[sim.Metric][]float64 {
	out := map[sim.Metric][]float64{}
	for _, r := range runs {
		for _, m := range r.Metrics(regions) {
			k := sim.Metric{Name: m.Name, Region: m.Region}
			out[k] = append(out[k], m.Value)
		}
	}
	return out
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

// Difference is the difference of a figure between two sets, B − A, with
// its 95 % confidence interval, a standardised effect size and a test of
// no difference. Paired runs (the same seeds, replicate by replicate) are
// compared through their per-replicate differences (see pairedDiff: the
// paired t-test, and the exact Wilcoxon signed-rank test below FewPairs
// pairs); independent sets by Welch's t-test (see welch).
type Difference struct {
	// Test is PairedT, SignedRank or WelchT: where P comes from.
	Test string
	// N is the number of pairs (paired) or the smaller set's number of
	// values (Welch).
	N int
	// Mean is the mean difference: mean_B − mean_A, or the mean of the
	// per-replicate differences when paired.
	Mean float64
	// CILow and CIHigh bound the 95 % confidence interval of Mean (from
	// the paired or the Welch t distribution).
	CILow, CIHigh float64
	// DF is the degrees of freedom of the t distribution behind the
	// interval: n − 1 when paired, Welch–Satterthwaite's otherwise.
	DF float64
	// Effect is the standardised effect: Cohen's d_z (the mean difference
	// over the sd of the differences) when paired, Hedges' g (over the
	// pooled sd, corrected for small samples) otherwise.
	Effect float64
	// P is the two-sided p-value of Test; PT is the t-test's (paired or
	// Welch) and PW the Wilcoxon test's (NaN when not computed).
	P, PT, PW float64
	// PAdj is P adjusted by Benjamini–Hochberg over every p-value of the
	// comparison (see AdjustBH).
	PAdj float64
}

// HalfWidth returns half the width of the confidence interval, the "±" of
// Mean; it is NaN when there is no interval.
func (d Difference) HalfWidth() float64 { return (d.CIHigh - d.CILow) / 2 }

// Paired reports whether the difference comes from paired runs.
func (d Difference) Paired() bool { return d.Test != WelchT }

// EffectName names the standardised effect: "d_z" when paired, "g"
// otherwise.
func (d Difference) EffectName() string {
	if d.Paired() {
		return "d_z"
	}
	return "g"
}

// defaultMetrics returns the figures Compare reports when given none: the
// catalogue's headline figures that s has, adoption at 24 steps replaced by
// the final adoption when no run has a value of it.
func defaultMetrics(s Summary) []string {
	var out []string
	for _, m := range catalogue {
		if !m.Headline {
			continue
		}
		name := m.Name
		if m.Fallback != "" && !hasValues(s, name) {
			name = m.Fallback
		}
		if _, ok := s.Get(name, metricRegion(s, name)); ok {
			out = append(out, name)
		}
	}
	return out
}

// hasValues reports whether some run has a value of metric: runs too short
// for a product to reach age 24, or made before the figure existed, have
// none.
func hasValues(s Summary, metric string) bool {
	for _, st := range s {
		if st.Metric == metric && st.N > 0 {
			return true
		}
	}
	return false
}

// metricRegion returns the region of the first Stat of metric in s ("" if
// there is none).
func metricRegion(s Summary, metric string) string {
	for _, st := range s {
		if st.Metric == metric {
			return st.Region
		}
	}
	return ""
}

// Compare summarizes each figure named in metrics (sim's metric names) in
// every set and compares each later set with the first (see Difference).
// A figure is compared for every region it exists for ("" for
// whole-scenario figures), in region order. Without metrics it compares
// the headline figures of the catalogue (see defaultMetrics): the time to
// 50 % adoption (t50) with the share of innovations that reach 50 %, the
// adoption 24 steps after commercialization (the final adoption when the
// runs do not have it) of every region, the share of commercialization of
// the regions whose role is "accelerator" in the first set's Config (of
// every region when none is), and the median lab-to-market lag.
//
// Each later set is paired with the first when their runs have the same
// seeds replicate by replicate (see Pairing), and the Differences come from
// paired tests then, from Welch's test otherwise. Every p-value of the
// comparison is adjusted together (Difference.PAdj).
//
// It returns an error when there are fewer than two sets, when the sets'
// regions differ (the error names both lists), when a set has no finished
// run (wrapping ErrNoRuns) or when a metric is unknown.
func Compare(sets []RunSet, metrics []string) (Comparison, error) {
	if len(sets) < 2 {
		return Comparison{}, fmt.Errorf("compare: need at least two sets, got %d", len(sets))
	}
	if err := SameRegions(sets); err != nil {
		return Comparison{}, fmt.Errorf("compare: %w", err)
	}
	c := Comparison{Regions: sets[0].Regions, Units: UnitsOf(&sets[0].Config)}
	sums := make([]Summary, len(sets))
	runs := make([][]*sim.RunResult, len(sets))
	values := make([]map[sim.Metric][]float64, len(sets))
	for i, s := range sets {
		runs[i] = SortedRuns(s.Runs)
		n := len(runs[i])
		if n == 0 {
			return Comparison{}, fmt.Errorf("compare: set %q: %w", s.Label, ErrNoRuns)
		}
		sums[i] = Summarize(s.Regions, s.Runs)
		c.Sets = append(c.Sets, s.Label)
		c.Runs = append(c.Runs, n)
		if i > 0 {
			c.Pairing = append(c.Pairing, pairing(runs[0], runs[i]))
			if c.Pairing[i-1].Paired {
				values[i] = runValues(s.Regions, runs[i])
				if values[0] == nil {
					values[0] = runValues(sets[0].Regions, runs[0])
				}
			}
		}
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
			if i == 0 {
				continue
			}
			if c.Pairing[i-1].Paired {
				row.Diffs = append(row.Diffs, pairedDiff(values[0][k], values[i][k]))
			} else {
				row.Diffs = append(row.Diffs, welch(row.Stats[0], st))
			}
		}
		c.Rows = append(c.Rows, row)
	}
	adjust(c.Rows)
	return c, nil
}

// adjust sets PAdj of every difference in rows: Benjamini–Hochberg over
// all their p-values, so that the "*" of a comparison of many figures,
// regions and sets keeps its false discovery rate at 5 %.
func adjust(rows []CompareRow) {
	var ps []float64
	for _, r := range rows {
		for _, d := range r.Diffs {
			ps = append(ps, d.P)
		}
	}
	adj := AdjustBH(ps)
	k := 0
	for _, r := range rows {
		for j := range r.Diffs {
			r.Diffs[j].PAdj = adj[k]
			k++
		}
	}
}

// ErrNoRuns is returned (wrapped) by Compare and the charts of package
// output/chart when a set or Result has no finished runs.
var ErrNoRuns = errors.New("no finished runs")

// SameRegions returns an error naming both region lists when a set's
// regions differ from the first set's.
func SameRegions(sets []RunSet) error {
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
		metrics = defaultMetrics(s)
	}
	acc := map[string]bool{}
	for _, r := range AcceleratorRegions(cfg) {
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
			if defaults && Metric(m).ByAccelerator && !acc[st.Region] {
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
//	metric,region,set,n,mean,ci_low,ci_high,test,pairs,diff,diff_ci_low,diff_ci_high,
//	effect_size,effect_measure,p_value,p_t,p_wilcoxon,p_adjusted
//
// The columns from test on hold the Difference to the first set and are
// empty in the first set's rows: the test behind p_value (paired t,
// Wilcoxon signed-rank or Welch t), the number of pairs (or the smaller
// set's n for Welch), the difference with its 95 % interval, the
// standardised effect (d_z paired, g unpaired), the raw p of the test, the
// t-test's and the Wilcoxon test's p (empty when not computed) and the
// Benjamini–Hochberg adjusted p. Floats are written in the shortest form
// that reads back exactly and NaN as "NaN".
func WriteCompareCSV(w io.Writer, c Comparison) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"metric", "region", "set", "n", "mean", "ci_low", "ci_high",
		"test", "pairs", "diff", "diff_ci_low", "diff_ci_high", "effect_size", "effect_measure",
		"p_value", "p_t", "p_wilcoxon", "p_adjusted"})
	for _, r := range c.Rows {
		for i, st := range r.Stats {
			rec := []string{r.Metric, r.Region, c.Sets[i], strconv.Itoa(st.N),
				formatFloat(st.Mean), formatFloat(st.CILow), formatFloat(st.CIHigh)}
			if i == 0 {
				rec = append(rec, make([]string, 11)...)
			} else {
				d := r.Diffs[i-1]
				pw := ""
				if !math.IsNaN(d.PW) {
					pw = formatFloat(d.PW)
				}
				rec = append(rec, d.Test, strconv.Itoa(d.N), formatFloat(d.Mean), formatFloat(d.CILow), formatFloat(d.CIHigh),
					formatFloat(d.Effect), d.EffectName(), formatFloat(d.P), formatFloat(d.PT), pw, formatFloat(d.PAdj))
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
	Sets    []setJSON `json:"sets"`
	Regions []string  `json:"regions"`
	// Adjustment says how the p-values were adjusted.
	Adjustment string           `json:"adjustment"`
	Metrics    []compareRowJSON `json:"metrics"`
}

// setJSON is one set in the comparison JSON file.
type setJSON struct {
	Label string `json:"label"`
	Runs  int    `json:"runs"`
	// Paired and Why say, for a set after the first, whether its runs
	// pair with the first set's and why.
	Paired *bool  `json:"paired,omitempty"`
	Why    string `json:"why,omitempty"`
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
	Test          string      `json:"test"`
	N             int         `json:"n"`
	Mean          *float64    `json:"mean"`
	CI95          [2]*float64 `json:"ci95"`
	EffectSize    *float64    `json:"effect_size"`
	EffectMeasure string      `json:"effect_measure"`
	DF            *float64    `json:"df"`
	PValue        *float64    `json:"p_value"`
	PT            *float64    `json:"p_t"`
	PWilcoxon     *float64    `json:"p_wilcoxon,omitempty"`
	PAdjusted     *float64    `json:"p_adjusted"`
}

// Adjustment describes the adjustment of c's p-values, as compare.json
// and the report state it.
func (c Comparison) Adjustment() string {
	n := 0
	for _, r := range c.Rows {
		for _, d := range r.Diffs {
			if !math.IsNaN(d.P) {
				n++
			}
		}
	}
	return fmt.Sprintf("Benjamini–Hochberg over the %d p-values of this comparison (false discovery rate 5 %% at p adj < %g)", n, Significance)
}

// WriteCompareJSON writes c as JSON indented by two spaces, in this shape:
//
//	{
//	  "sets": [{"label": "base", "runs": 20},
//	           {"label": "open", "runs": 20, "paired": true, "why": "paired: ..."}],
//	  "regions": ["bth", "gba"],
//	  "adjustment": "Benjamini–Hochberg over the 12 p-values of this comparison ...",
//	  "metrics": [
//	    {"metric": "t50", "region": "gba", "sets": [
//	      {"set": "base", "n": 20, "mean": 30.1, "sd": 2.5, "ci95": [28.9, 31.3]},
//	      {"set": "open", "n": 20, "mean": 27.4, "sd": 2.1, "ci95": [26.4, 28.4],
//	       "diff": {"test": "paired t", "n": 20, "mean": -2.7, "ci95": [-3.2, -2.2],
//	                "effect_size": -2.5, "effect_measure": "d_z", "df": 19,
//	                "p_value": 1e-9, "p_t": 1e-9, "p_adjusted": 6e-9}}
//	    ]},
//	    ...
//	  ]
//	}
//
// "diff" is the Difference to the first set, absent in the first set;
// "p_wilcoxon" is there only when the Wilcoxon test was run. NaN and
// infinities are written as null.
func WriteCompareJSON(w io.Writer, c Comparison) error {
	out := compareJSON{Regions: c.Regions, Adjustment: c.Adjustment(), Metrics: make([]compareRowJSON, len(c.Rows))}
	for i, l := range c.Sets {
		sj := setJSON{Label: l, Runs: c.Runs[i]}
		if i > 0 {
			sj.Paired, sj.Why = &c.Pairing[i-1].Paired, c.Pairing[i-1].Why
		}
		out.Sets = append(out.Sets, sj)
	}
	for k, r := range c.Rows {
		rj := compareRowJSON{Metric: r.Metric, Region: r.Region, Sets: make([]setStatJSON, len(r.Stats))}
		for i, st := range r.Stats {
			sj := setStatJSON{
				Set:  c.Sets[i],
				N:    st.N,
				Mean: Nullable(st.Mean),
				SD:   Nullable(st.SD),
				CI95: [2]*float64{Nullable(st.CILow), Nullable(st.CIHigh)},
			}
			if i > 0 {
				d := r.Diffs[i-1]
				sj.Diff = &differenceJSON{
					Test:          d.Test,
					N:             d.N,
					Mean:          Nullable(d.Mean),
					CI95:          [2]*float64{Nullable(d.CILow), Nullable(d.CIHigh)},
					EffectSize:    Nullable(d.Effect),
					EffectMeasure: d.EffectName(),
					DF:            Nullable(d.DF),
					PValue:        Nullable(d.P),
					PT:            Nullable(d.PT),
					PWilcoxon:     Nullable(d.PW),
					PAdjusted:     Nullable(d.PAdj),
				}
			}
			rj.Sets[i] = sj
		}
		out.Metrics[k] = rj
	}
	if err := WriteJSON(w, out); err != nil {
		return fmt.Errorf("write comparison: %w", err)
	}
	return nil
}

// Significance is the level below which an adjusted p-value is marked.
const Significance = 0.05

// PrintCompare writes c as an aligned table for the terminal. A header
// says for each later set which test compares it with the first and why.
// Then one line per figure and region (the figure named on its first line
// only): each set's mean ± the half-width of its 95 % confidence interval
// (and in how many runs the figure exists, when not in all), then for each
// later set, effect sizes first, its difference to the first set (± the
// half-width of its 95 % interval), the standardised effect (d_z or g),
// the raw p-value and the Benjamini–Hochberg adjusted one, marked "*"
// below 0.05. A footer explains the columns. A figure that does not exist
// is shown as "-".
func PrintCompare(w io.Writer, c Comparison) error {
	bw := &errWriter{w: w}
	fmt.Fprint(bw, "comparing ")
	for i, l := range c.Sets {
		if i > 0 {
			fmt.Fprint(bw, ", ")
		}
		fmt.Fprintf(bw, "%s (%s)", l, RunsNote(c.Runs[i]))
	}
	fmt.Fprintln(bw)
	for i, p := range c.Pairing {
		fmt.Fprintf(bw, "%s vs %s: %s\n", c.Sets[i+1], c.Sets[0], p.Why)
	}
	fmt.Fprintln(bw)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	head := []string{"figure", "region"}
	head = append(head, c.Sets...)
	for i, l := range c.Sets[1:] {
		eff := "g"
		if c.Pairing[i].Paired {
			eff = "d_z"
		}
		head = append(head, l+" − "+c.Sets[0], eff, "p", "p adj")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	prev := ""
	for _, r := range c.Rows {
		info := Metric(r.Metric).In(c.Units)
		name := ""
		if r.Metric != prev {
			name = info.TableLabel()
			prev = r.Metric
		}
		region := r.Region
		if region == "" {
			region = "all"
		}
		scale, verb := info.shown()
		cells := []string{name, region}
		for i, st := range r.Stats {
			cell := info.FormatPM(st)
			if st.N < c.Runs[i] {
				cell += fmt.Sprintf(" (%d of %d runs)", st.N, c.Runs[i])
			}
			cells = append(cells, cell)
		}
		for _, d := range r.Diffs {
			d.Mean, d.CILow, d.CIHigh = scale*d.Mean, scale*d.CILow, scale*d.CIHigh
			cells = append(cells, fmtDiff(d, verb), FormatEffect(d.Effect), FormatP(d.P, false), FormatP(d.PAdj, true))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write comparison: %w", err)
	}
	fmt.Fprintf(bw, "\n± is half the 95 %% confidence interval over the runs (replications); shares are in percent and their\n"+
		"differences in percentage points. d_z is the mean paired difference over the sd of the differences,\n"+
		"g (Hedges') the difference over the pooled sd: about 0.2 is small, 0.8 large. p is the two-sided p of the test named above;\n"+
		"p adj is %s; * marks p adj < %g.\n", c.Adjustment(), Significance)
	if bw.err != nil {
		return fmt.Errorf("write comparison: %w", bw.err)
	}
	return nil
}

// FormatEffect formats a standardised effect with two decimals and a sign, or
// "-" when there is none.
func FormatEffect(e float64) string {
	switch {
	case math.IsNaN(e):
		return "-"
	case math.IsInf(e, 1):
		return "+inf"
	case math.IsInf(e, -1):
		return "-inf"
	}
	return fmt.Sprintf("%+.2f", e)
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

// FormatP formats a p-value with three decimals ("<0.001" below that), or
// "-" when there is none; marked "*" below Significance when mark is set.
func FormatP(p float64, mark bool) string {
	var s string
	switch {
	case math.IsNaN(p):
		return "-"
	case p < 0.001:
		s = "<0.001"
	default:
		s = fmt.Sprintf("%.3f", p)
		if p < Significance && p >= Significance-0.0005 {
			s = fmt.Sprintf("%.4f", p) // not "0.050 *"
		}
	}
	if mark && p < Significance {
		s += " *"
	}
	return s
}

// RegionsDiffer returns an error naming the regions that only one of the
// sets a and b has, or that they order differently, or nil when ra and
// rb are the same: a comparison pairs sets over the same regions.
func RegionsDiffer(a, b string, ra, rb []string) error {
	if slices.Equal(ra, rb) {
		return nil
	}
	only := func(x, y []string) []string {
		var out []string
		for _, r := range x {
			if !slices.Contains(y, r) {
				out = append(out, r)
			}
		}
		return out
	}
	var parts []string
	if oa := only(ra, rb); len(oa) > 0 {
		parts = append(parts, fmt.Sprintf("only %s has %s", a, strings.Join(oa, ", ")))
	}
	if ob := only(rb, ra); len(ob) > 0 {
		parts = append(parts, fmt.Sprintf("only %s has %s", b, strings.Join(ob, ", ")))
	}
	if len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("they order them differently: [%s] and [%s]", strings.Join(ra, " "), strings.Join(rb, " ")))
	}
	return fmt.Errorf("%s and %s have different regions (%s); compare takes scenarios over the same regions, nothing was run", a, b, strings.Join(parts, "; "))
}
