package output

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// Tolerance says how far a metric's mean may move before a check fails: a
// move fails when it is larger than every one of AbsTol, RelTol × |baseline
// mean| and Z × the combined standard error sqrt(sd_b²/n_b + sd_n²/n_n).
// The statistical term makes a re-run with another seed pass; the absolute
// and relative terms keep rare events (a count that is 0 in most runs) and
// tiny spreads from failing on noise. Nil fields take the defaults.
type Tolerance struct {
	AbsTol *float64 `json:"abs_tol,omitempty"`
	RelTol *float64 `json:"rel_tol,omitempty"`
	Z      *float64 `json:"z,omitempty"`
}

// Default tolerances. Z = 4 keeps the chance that one of ~70 metrics fails
// on noise alone near 0.5 % (two-sided normal tail 6.3e-5 per metric).
const (
	DefaultRelTol = 0.05
	DefaultZ      = 4
)

// DefaultAbsTol is the absolute tolerance of a metric by its kind: one
// step for times, one innovation for counts, one percentage point for
// shares.
func DefaultAbsTol(metric string) float64 {
	switch {
	case metric == "t50" || metric == "lag_median":
		return 1
	case strings.HasSuffix(metric, "share") || metric == "final_adoption":
		return 0.01
	default: // counts: discovered, commercialized, lost, transfer_to_*
		return 1
	}
}

// BaselineMetric is one metric of a baseline: its summary over the runs and
// optional tolerances of its own.
type BaselineMetric struct {
	// Point is the sweep point (0, and left out, without a sweep).
	Point  int     `json:"point,omitempty"`
	Metric string  `json:"metric"`
	Region string  `json:"region"`
	N      int     `json:"n"`
	Mean   float64 `json:"mean"`
	SD     float64 `json:"sd"`
	Tolerance
}

// Baseline holds every metric of a run that later runs are checked
// against.
type Baseline struct {
	// Scenario names the scenario; ScenarioSHA256 identifies the resolved
	// scenario it was made from, and Version the triad that made it.
	Scenario       string `json:"scenario"`
	ScenarioSHA256 string `json:"scenario_sha256,omitempty"`
	Version        string `json:"version"`
	Seed           uint64 `json:"seed"`
	Replicates     int    `json:"replicates"`
	// Defaults apply to every metric without tolerances of its own.
	Defaults Tolerance        `json:"defaults"`
	Metrics  []BaselineMetric `json:"metrics"`
}

// MakeBaseline records every metric that exists (n > 0) of every sweep
// point (a run without a sweep is one point).
func MakeBaseline(ps []PointSummary) Baseline {
	b := Baseline{Defaults: Tolerance{RelTol: ptr(DefaultRelTol), Z: ptr(DefaultZ)}}
	for _, p := range ps {
		for _, st := range p.Summary {
			if st.N == 0 {
				continue
			}
			b.Metrics = append(b.Metrics, BaselineMetric{Point: p.Point.Index, Metric: st.Metric, Region: st.Region, N: st.N, Mean: st.Mean, SD: st.SD})
		}
	}
	return b
}

func ptr(v float64) *float64 { return &v }

// WriteBaseline writes b as JSON indented by two spaces.
func WriteBaseline(w io.Writer, b Baseline) error {
	if err := encodeJSON(w, b); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	return nil
}

// ReadBaseline reads a baseline written by WriteBaseline (and perhaps
// edited: unknown fields are errors, so a misspelt tolerance is not
// silently ignored).
func ReadBaseline(r io.Reader) (Baseline, error) {
	var b Baseline
	d := json.NewDecoder(r)
	d.DisallowUnknownFields()
	if err := d.Decode(&b); err != nil {
		return b, fmt.Errorf("read baseline: %w", err)
	}
	for i, m := range b.Metrics {
		for _, v := range []*float64{m.AbsTol, m.RelTol, m.Z, b.Defaults.AbsTol, b.Defaults.RelTol, b.Defaults.Z} {
			if v != nil && !(*v >= 0) {
				return b, fmt.Errorf("read baseline: metrics[%d] (%s %s): tolerances must be numbers ≥ 0", i, m.Metric, m.Region)
			}
		}
	}
	return b, nil
}

// CheckRow is the verdict on one metric.
type CheckRow struct {
	Point          int
	Metric, Region string
	// Baseline and Now are the means (NaN where the metric is missing).
	Baseline, Now float64
	// Delta is Now - Baseline; Limit is the largest move allowed.
	Delta, Limit float64
	OK           bool
	// Why says what failed, for missing metrics.
	Why string
}

// CheckResult is the verdict on every metric.
type CheckResult struct {
	Rows   []CheckRow
	Failed int
}

// Check holds now, one summary per sweep point, against the baseline. A
// metric missing on either side fails; it is never skipped.
func Check(b Baseline, now []PointSummary) CheckResult {
	var res CheckResult
	type key struct {
		point          int
		metric, region string
	}
	seen := map[key]bool{}
	byPoint := map[int]Summary{}
	for _, p := range now {
		byPoint[p.Point.Index] = p.Summary
	}
	for _, m := range b.Metrics {
		seen[key{m.Point, m.Metric, m.Region}] = true
		row := CheckRow{Point: m.Point, Metric: m.Metric, Region: m.Region, Baseline: m.Mean, Now: math.NaN(), Delta: math.NaN(), Limit: math.NaN()}
		st, ok := byPoint[m.Point].Get(m.Metric, m.Region)
		switch {
		case !ok:
			row.Why = "missing now"
		case st.N == 0:
			row.Why = "no value now (n = 0)"
		default:
			row.Now = st.Mean
			row.Delta = st.Mean - m.Mean
			row.Limit = limit(b.Defaults, m, st)
			row.OK = math.Abs(row.Delta) <= row.Limit
		}
		res.add(row)
	}
	for _, p := range now {
		for _, st := range p.Summary {
			if st.N == 0 || seen[key{p.Point.Index, st.Metric, st.Region}] {
				continue
			}
			res.add(CheckRow{Point: p.Point.Index, Metric: st.Metric, Region: st.Region, Baseline: math.NaN(), Now: st.Mean,
				Delta: math.NaN(), Limit: math.NaN(), Why: "not in the baseline"})
		}
	}
	return res
}

func (r *CheckResult) add(row CheckRow) {
	if !row.OK {
		r.Failed++
	}
	r.Rows = append(r.Rows, row)
}

// limit is max(abs_tol, rel_tol·|mean|, z·combined standard error).
func limit(def Tolerance, m BaselineMetric, now Stat) float64 {
	pick := func(own, d *float64, fallback float64) float64 {
		switch {
		case own != nil:
			return *own
		case d != nil:
			return *d
		}
		return fallback
	}
	abs := pick(m.AbsTol, def.AbsTol, DefaultAbsTol(m.Metric))
	rel := pick(m.RelTol, def.RelTol, DefaultRelTol)
	z := pick(m.Z, def.Z, DefaultZ)
	var se2 float64
	if m.N > 0 {
		se2 += m.SD * m.SD / float64(m.N)
	}
	if now.N > 0 {
		se2 += now.SD * now.SD / float64(now.N)
	}
	return math.Max(abs, math.Max(rel*math.Abs(m.Mean), z*math.Sqrt(se2)))
}

// PrintCheck writes the verdict as an aligned table, failures marked FAIL,
// and a closing line with the count.
func PrintCheck(w io.Writer, res CheckResult) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	sweep := false
	for _, r := range res.Rows {
		sweep = sweep || r.Point != 0
	}
	if sweep {
		fmt.Fprint(tw, "point\t")
	}
	fmt.Fprintln(tw, "metric\tregion\tbaseline\tnow\tdelta\tlimit\tresult")
	for _, r := range res.Rows {
		if sweep {
			fmt.Fprintf(tw, "%d\t", r.Point)
		}
		region := r.Region
		if region == "" {
			region = "all"
		}
		verdict := "ok"
		if !r.OK {
			verdict = "FAIL"
			if r.Why != "" {
				verdict += " (" + r.Why + ")"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Metric, region, num(r.Baseline), num(r.Now), signed(r.Delta), num(r.Limit), verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d of %d metrics within their limits; %d failed\n", len(res.Rows)-res.Failed, len(res.Rows), res.Failed)
	return err
}

// WriteCheckJSON writes the verdict for machines.
func WriteCheckJSON(w io.Writer, res CheckResult) error {
	type row struct {
		Point    int      `json:"point"`
		Metric   string   `json:"metric"`
		Region   string   `json:"region"`
		Baseline *float64 `json:"baseline"`
		Now      *float64 `json:"now"`
		Delta    *float64 `json:"delta"`
		Limit    *float64 `json:"limit"`
		OK       bool     `json:"ok"`
		Why      string   `json:"why,omitempty"`
	}
	out := struct {
		OK      bool  `json:"ok"`
		Failed  int   `json:"failed"`
		Metrics []row `json:"metrics"`
	}{OK: res.Failed == 0, Failed: res.Failed, Metrics: []row{}}
	for _, r := range res.Rows {
		out.Metrics = append(out.Metrics, row{r.Point, r.Metric, r.Region, nullable(r.Baseline), nullable(r.Now), nullable(r.Delta), nullable(r.Limit), r.OK, r.Why})
	}
	return encodeJSON(w, out)
}

func num(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.4g", v)
}

func signed(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%+.3g", v)
}
