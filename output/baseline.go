package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"text/tabwriter"

	"github.com/triad-sim/triad/internal/portable"
	"github.com/triad-sim/triad/sim"
)

// Tolerance overrides how far a metric's mean may move before a check
// fails. A move fails when it is larger than every one of AbsTol, RelTol ×
// |baseline mean| and k × the standard error of the difference of the two
// means, SE = sqrt(sd_b²/n_b + sd_n²/n_n), where k is Z when given and
// otherwise the Welch t quantile for the baseline's family-wise false-alarm
// rate (see Baseline.FalseAlarm). Nil fields take the baseline's Defaults,
// then the built-in defaults: AbsTol the smaller of the metric's
// resolution and the baseline's sd (see DefaultFloor), RelTol 0.
type Tolerance struct {
	AbsTol *float64 `json:"abs_tol,omitempty"`
	RelTol *float64 `json:"rel_tol,omitempty"`
	Z      *float64 `json:"z,omitempty"`
}

// DefaultFalseAlarm is the default family-wise false-alarm rate of a
// check: the chance that a re-run of an unchanged model on another seed
// fails at least one metric.
const DefaultFalseAlarm = 0.01

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
	// Scenario names the scenario and Version the triad that made it.
	Scenario string `json:"scenario"`
	// ConfigSHA256 identifies the resolved scenario the baseline was made
	// from, without its seed and replications (a check on another seed or
	// with more runs is the same scenario): see ConfigHash. It is not the
	// hash of the scenario file, which a manifest's scenario_sha256 holds.
	ConfigSHA256 string `json:"config_sha256,omitempty"`
	// LegacySHA256 is the scenario_sha256 of baselines written before
	// config_sha256: a hash of the whole resolved scenario, seed included.
	// It is read, never written, and not compared.
	LegacySHA256 string `json:"scenario_sha256,omitempty"`
	Version      string `json:"version"`
	Seed         uint64 `json:"seed"`
	Replicates   int    `json:"replicates"`
	// FalseAlarm is the family-wise false-alarm rate (0 means
	// DefaultFalseAlarm): each metric is held at the Šidák level
	// 1 − (1 − FalseAlarm)^(1/m) over the m metrics checked.
	FalseAlarm float64 `json:"false_alarm,omitempty"`
	// Defaults apply to every metric without tolerances of its own.
	Defaults Tolerance        `json:"defaults"`
	Metrics  []BaselineMetric `json:"metrics"`
}

// ScenarioHash returns the SHA-256 (hex) of the resolved scenario cfg as
// JSON, seed and replications included, as every run file records it: two
// runs or shards ran the same scenario when their hashes are equal,
// whatever file or flags produced it. The step's unit is left out: it is
// a label, which no number depends on.
func ScenarioHash(cfg sim.Config) string {
	cfg.StepUnit = ""
	b, err := json.Marshal(cfg)
	if err != nil {
		panic("output: encode scenario: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ConfigHash is ScenarioHash with the seed and replications left out: two
// runs of one scenario on different seeds or with more replications have
// the same hash, a changed parameter, policy or sweep gives another.
func ConfigHash(cfg sim.Config) string {
	cfg.Seed, cfg.Replicates = 0, 0
	return ScenarioHash(cfg)
}

// MakeBaseline records every metric that exists (n > 0) of every sweep
// point (a run without a sweep is one point).
func MakeBaseline(ps []PointSummary) Baseline {
	b := Baseline{FalseAlarm: DefaultFalseAlarm}
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

// BaselineOf is the baseline of the runs of set, made by triad version:
// every metric of every sweep point, with the scenario, its hash, seed and
// replications.
func BaselineOf(set RunSet, version string) Baseline {
	b := MakeBaseline(SummarizePoints(set.Regions, set.Config.Points(), set.Runs))
	b.Scenario, b.ConfigSHA256, b.Version = set.Config.Name, ConfigHash(set.Config), version
	b.Seed, b.Replicates = set.Config.Seed, set.Config.Replicates
	return b
}

// WriteBaseline writes b as JSON indented by two spaces.
func WriteBaseline(w io.Writer, b Baseline) error {
	if err := WriteJSON(w, b); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	return nil
}

// MaxBaselineSize is the largest baseline that triad reads or writes: the
// baselines of the built-in scenarios take 2 to 74 KB (connector-sweep's,
// of six sweep points), so it holds sweeps of thousands of points.
const MaxBaselineSize = 64 << 20

// Bounds on the settings of a baseline beyond which a check would pass
// whatever the runs: a z of more than MaxZ standard errors, a false-alarm
// rate below MinFalseAlarm (whose t quantile is as wide), a rel_tol of
// 100 % or more (a metric that fell to zero passes), and an abs_tol as
// large as the metric's mean, unless it is no larger than the metric's
// floor.
const (
	MaxZ          = 10
	MinFalseAlarm = 1e-6
)

// ReadBaseline reads a baseline written by WriteBaseline (and perhaps
// edited). It refuses anything a check could be fooled by: unknown fields
// (a misspelt tolerance), a missing or empty metrics list, anything after
// the JSON value; replications of 1 (one run of each point has no spread
// to set limits by); a metric with n < 1, or with n of 1 and an sd other
// than 0, or more runs than the baseline's replications; a mean or sd that
// is not finite, a negative mean or sd (every metric is ≥ 0), a share
// outside [0, 1], or an sd larger than n runs can have: at most m·√n for n
// values ≥ 0 with mean m (all of it in one run), at most √(m(1−m)·n/(n−1))
// for shares; a whole-scenario count (discovered, commercialized, lost)
// that is not the sum of its regions' (its mean is their sum, its sd at
// most the sum of theirs), or a region's commercializations that are not
// the sum of the transfers to it; and settings that accept anything (see
// MaxZ): a tolerance that is not a finite number ≥ 0, a z above MaxZ, a
// rel_tol of 1 or more, an abs_tol as large as a metric's mean and above
// its floor, or a false_alarm outside [MinFalseAlarm, 1) other than 0 (the
// default).
func ReadBaseline(r io.Reader) (Baseline, error) {
	var b Baseline
	src, err := io.ReadAll(io.LimitReader(r, MaxBaselineSize+1))
	if err != nil {
		return b, fmt.Errorf("read baseline: %w", err)
	}
	if len(src) > MaxBaselineSize {
		return b, fmt.Errorf("read baseline: more than %d bytes, the cap on a baseline", MaxBaselineSize)
	}
	d := json.NewDecoder(bytes.NewReader(src))
	d.DisallowUnknownFields()
	if err := d.Decode(&b); err != nil {
		return b, fmt.Errorf("read baseline: %w", err)
	}
	end := d.InputOffset()
	if _, err := d.Token(); err != io.EOF {
		return b, fmt.Errorf("read baseline: unexpected data after the JSON value at byte %d", end)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(src[:end], &keys); err != nil {
		return b, fmt.Errorf("read baseline: %w", err)
	}
	if _, ok := keys["metrics"]; !ok {
		return b, errors.New("read baseline: no \"metrics\": it is not a baseline")
	}
	if err := b.check(); err != nil {
		return b, fmt.Errorf("read baseline: %w", err)
	}
	return b, nil
}

// check returns what makes b a baseline a check could be fooled by (see
// ReadBaseline), or nil.
func (b Baseline) check() error {
	if len(b.Metrics) == 0 {
		return errors.New("\"metrics\" is empty: a baseline without metrics checks nothing")
	}
	if !finite(b.FalseAlarm) || (b.FalseAlarm != 0 && b.FalseAlarm < MinFalseAlarm) || b.FalseAlarm < 0 || b.FalseAlarm >= 1 {
		return fmt.Errorf("false_alarm %v is not a rate in [%g, 1) (or 0, for the default %g): a smaller one widens every limit until any change passes", b.FalseAlarm, MinFalseAlarm, DefaultFalseAlarm)
	}
	if b.Replicates < 0 || b.Replicates == 1 {
		return fmt.Errorf("replications %d: a baseline needs two runs or more of each point, whose spread sets the limits", b.Replicates)
	}
	if err := b.Defaults.check(); err != nil {
		return fmt.Errorf("defaults: %w", err)
	}
	for i, m := range b.Metrics {
		bad := func(format string, args ...any) error {
			return fmt.Errorf("metrics[%d] (%s %s): %s", i, m.Metric, m.Region, fmt.Sprintf(format, args...))
		}
		info := Metric(m.Metric)
		switch {
		case m.N < 1:
			return bad("n must be at least 1, got %d", m.N)
		case m.N == 1 && m.SD != 0:
			return bad("sd %v of a single run: one value has no spread (sd 0)", m.SD)
		case b.Replicates > 0 && m.N > b.Replicates:
			return bad("n %d is more than the baseline's %d replications", m.N, b.Replicates)
		case !finite(m.Mean) || m.Mean < 0:
			return bad("mean must be a finite number ≥ 0, got %v", m.Mean)
		case info.Kind == KindShare && m.Mean > 1:
			return bad("mean %v is not a share in [0, 1]", m.Mean)
		case !finite(m.SD) || m.SD < 0:
			return bad("sd must be a finite number ≥ 0, got %v", m.SD)
		}
		if most := maxSD(info.Kind, m.Mean, m.N); m.N > 1 && m.SD > float64(most*(1+1e-9))+1e-12 {
			return bad("sd %v is larger than %d runs with mean %v can have (%.4g)", m.SD, m.N, m.Mean, most)
		}
		if err := m.Tolerance.check(); err != nil {
			return bad("%v", err)
		}
		if err := m.accepts(b.Defaults); err != nil {
			return bad("%v", err)
		}
	}
	return b.checkSums()
}

// maxSD is the largest sd that n values of a metric of kind k with mean
// mean can have: all of the total in one run (m·√n) for counts and times,
// the values at 0 and 1 (√(m(1−m)·n/(n−1))) for shares.
func maxSD(k Kind, mean float64, n int) float64 {
	if k == KindShare {
		return math.Sqrt(mean * (1 - mean) * float64(n) / float64(n-1))
	}
	return mean * math.Sqrt(float64(n))
}

// accepts returns an error when the tolerances of m (its own, or else def)
// let the metric move as far as its whole mean, and further than its
// floor: a check would then pass it had it fallen to zero.
func (m BaselineMetric) accepts(def Tolerance) error {
	floor := Metric(m.Metric).Floor
	if rel := m.RelTol; rel != nil || def.RelTol != nil {
		if rel == nil {
			rel = def.RelTol
		}
		if *rel >= 1 {
			return fmt.Errorf("rel_tol %v lets the metric move by its whole mean: a check would pass it fallen to zero", *rel)
		}
	}
	abs := m.AbsTol
	if abs == nil {
		abs = def.AbsTol
	}
	if abs != nil && *abs > floor && *abs >= m.Mean {
		return fmt.Errorf("abs_tol %v is as large as the mean %v (and above the floor %v): a check would pass the metric fallen to zero", *abs, m.Mean, floor)
	}
	return nil
}

// checkSums returns an error when a whole-scenario count of a point is
// not the sum of its regions' (discovered, commercialized, lost), or a
// region's commercializations are not the sum of the transfers to it:
// every run adds up, and so do means over the same runs, while an sd is
// at most the sum of its parts'.
func (b Baseline) checkSums() error {
	type key struct {
		point          int
		metric, region string
	}
	at := map[key]BaselineMetric{}
	regions := map[int][]string{}
	for _, m := range b.Metrics {
		k := key{m.Point, m.Metric, m.Region}
		if m.Region != "" && !slices.Contains(regions[m.Point], m.Region) {
			regions[m.Point] = append(regions[m.Point], m.Region)
		}
		at[k] = m
	}
	sum := func(total BaselineMetric, parts []BaselineMetric, what string) error {
		mean, sd := 0.0, 0.0
		for _, p := range parts {
			if p.N != total.N {
				return nil // over other runs: no sum to hold
			}
			mean += p.Mean
			sd += p.SD
		}
		if math.Abs(total.Mean-mean) > 1e-6*math.Max(1, math.Abs(total.Mean)) {
			return fmt.Errorf("%s %s has mean %v, and the %s add up to %v: a mean of a sum is the sum of the means", total.Metric, regionName(total.Region), total.Mean, what, mean)
		}
		if total.SD > float64(sd*(1+1e-6))+1e-9 {
			return fmt.Errorf("%s %s has sd %v, more than the %v of the %s it adds up: an sd of a sum is at most the sum of the sds", total.Metric, regionName(total.Region), total.SD, sd, what)
		}
		return nil
	}
	points := slices.Sorted(maps.Keys(regions))
	for _, pt := range points {
		rs := regions[pt]
		for _, name := range []string{sim.MetricDiscovered, sim.MetricCommercialized, sim.MetricLost} {
			total, ok := at[key{pt, name, ""}]
			if !ok {
				continue
			}
			var parts []BaselineMetric
			for _, r := range rs {
				if p, ok := at[key{pt, name, r}]; ok {
					parts = append(parts, p)
				}
			}
			if len(parts) != len(rs) {
				continue
			}
			if err := sum(total, parts, "regions' figures"); err != nil {
				return fmt.Errorf("point %d: %w", pt, err)
			}
		}
		for _, d := range rs {
			total, ok := at[key{pt, sim.MetricCommercialized, d}]
			if !ok {
				continue
			}
			var parts []BaselineMetric
			for _, o := range rs {
				if p, ok := at[key{pt, sim.MetricTransferToPrefix + d, o}]; ok {
					parts = append(parts, p)
				}
			}
			if len(parts) != len(rs) {
				continue
			}
			if err := sum(total, parts, "transfers to it"); err != nil {
				return fmt.Errorf("point %d: %w", pt, err)
			}
		}
	}
	return nil
}

// regionName names a region in messages, "all" for the whole scenario.
func regionName(r string) string {
	if r == "" {
		return "all"
	}
	return r
}

// CheckSteps returns an error when a time of b (t50, the median lag) has a
// mean or an sd that runs of steps steps cannot have: every time lies in
// [0, steps], so its mean does, and its sd is at most
// √(m(steps−m)·n/(n−1)). check calls it with the steps of the scenario it
// checks.
func (b Baseline) CheckSteps(steps int) error {
	s := float64(steps)
	for i, m := range b.Metrics {
		if Metric(m.Metric).Kind != KindSteps {
			continue
		}
		if m.Mean > s {
			return fmt.Errorf("metrics[%d] (%s %s): mean %v is beyond the %d steps of the scenario", i, m.Metric, m.Region, m.Mean, steps)
		}
		if most := math.Sqrt(m.Mean * (s - m.Mean) * float64(m.N) / float64(m.N-1)); m.N > 1 && m.SD > float64(most*(1+1e-9))+1e-12 {
			return fmt.Errorf("metrics[%d] (%s %s): sd %v is larger than %d runs of %d steps with mean %v can have (%.4g)", i, m.Metric, m.Region, m.SD, m.N, steps, m.Mean, most)
		}
	}
	return nil
}

// IsBaseline reports whether r holds a baseline that WriteBaseline wrote,
// perhaps edited since or written by another version of triad: a JSON
// object with the scenario and the metrics of a baseline. Unlike
// ReadBaseline it does not judge the numbers.
func IsBaseline(r io.Reader) bool {
	var keys map[string]json.RawMessage
	if json.NewDecoder(r).Decode(&keys) != nil {
		return false
	}
	_, scenario := keys["scenario"]
	_, metrics := keys["metrics"]
	return scenario && metrics
}

// check returns an error unless every tolerance given is a finite number
// ≥ 0, and z at most MaxZ.
func (t Tolerance) check() error {
	for _, f := range []struct {
		name string
		v    *float64
	}{{"abs_tol", t.AbsTol}, {"rel_tol", t.RelTol}, {"z", t.Z}} {
		if f.v != nil && !(finite(*f.v) && *f.v >= 0) {
			return fmt.Errorf("%s must be a finite number ≥ 0, got %v", f.name, *f.v)
		}
	}
	if t.Z != nil && *t.Z > MaxZ {
		return fmt.Errorf("z %v is more than %d standard errors: a limit that wide passes any change", *t.Z, MaxZ)
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// CheckRow is the verdict on one metric.
type CheckRow struct {
	Point          int
	Metric, Region string
	// Baseline and Now are the means (NaN where the metric is missing).
	Baseline, Now float64
	// Delta is Now - Baseline; Limit is the largest move allowed, SE the
	// standard error of Delta and K its multiplier in the limit.
	Delta, Limit, SE, K float64
	OK                  bool
	// Why says what failed, for missing metrics.
	Why string
}

// CheckResult is the verdict on every metric.
type CheckResult struct {
	Rows   []CheckRow
	Failed int
	// FalseAlarm is the family-wise false-alarm rate and PerMetric the
	// two-sided level each metric is held at (Šidák over the metrics
	// checked).
	FalseAlarm, PerMetric float64
}

// Check holds now, one summary per sweep point, against the baseline. A
// metric missing on either side fails; it is never skipped.
//
// A metric fails when |now − baseline| exceeds its limit,
//
//	limit = max(abs_tol, rel_tol·|baseline mean|, k·SE),  SE² = sd_b²/n_b + sd_n²/n_n
//
// where k is the metric's z when given and otherwise the 1 − α/2 quantile
// of Student's t with the Welch–Satterthwaite degrees of freedom, α the
// Šidák level 1 − (1 − FalseAlarm)^(1/m) for the m metrics of the
// baseline: a re-run of the unchanged model on another seed fails any
// metric with probability about FalseAlarm (at most, for positively
// dependent metrics), and a real change fails as soon as it is a few SE
// wide. abs_tol defaults to DefaultFloor: the smaller of the metric's
// resolution (one step, innovation or percentage point) and the
// baseline's sd; rel_tol to 0.
func Check(b Baseline, now []PointSummary) CheckResult {
	fa := b.FalseAlarm
	if fa == 0 {
		fa = DefaultFalseAlarm
	}
	res := CheckResult{FalseAlarm: fa, PerMetric: sidak(fa, len(b.Metrics))}
	type key struct {
		point          int
		metric, region string
	}
	seen := map[key]bool{}
	byPoint := map[int]Summary{}
	for _, p := range now {
		byPoint[p.Point.Index] = p.Summary
	}
	nan := math.NaN()
	for _, m := range b.Metrics {
		seen[key{m.Point, m.Metric, m.Region}] = true
		row := CheckRow{Point: m.Point, Metric: m.Metric, Region: m.Region, Baseline: m.Mean, Now: nan, Delta: nan, Limit: nan, SE: nan, K: nan}
		st, ok := byPoint[m.Point].Get(m.Metric, m.Region)
		switch {
		case !ok:
			row.Why = "missing now"
		case st.N == 0:
			row.Why = "no value now (n = 0)"
		default:
			row.Now = st.Mean
			row.Delta = st.Mean - m.Mean
			row.Limit, row.SE, row.K = limit(b.Defaults, m, st, res.PerMetric)
			row.OK = math.Abs(row.Delta) <= row.Limit
		}
		res.add(row)
	}
	for _, p := range now {
		for _, st := range p.Summary {
			if st.N == 0 || seen[key{p.Point.Index, st.Metric, st.Region}] {
				continue
			}
			res.add(CheckRow{Point: p.Point.Index, Metric: st.Metric, Region: st.Region, Baseline: nan, Now: st.Mean,
				Delta: nan, Limit: nan, SE: nan, K: nan, Why: "not in the baseline"})
		}
	}
	return res
}

// sidak returns the per-test level that keeps the family-wise rate of m
// independent tests at fa.
func sidak(fa float64, m int) float64 {
	if m < 1 {
		return fa
	}
	return -portable.Expm1(portable.Log1p(-fa) / float64(m))
}

func (r *CheckResult) add(row CheckRow) {
	if !row.OK {
		r.Failed++
	}
	r.Rows = append(r.Rows, row)
}

// DefaultFloor returns the floor a metric's limit has when neither it nor
// the baseline's defaults give an abs_tol, derived from the baseline's own
// spread: the metric's resolution (one step, one innovation, one
// percentage point; Metric.Floor) or the sd of the baseline's runs,
// whichever is smaller, and the resolution where every run gave the same
// value (sd 0), where there is no spread to hold it by. A fixed floor can
// dwarf the spread: the periphery's adoption at age 24 (mean 0.011, sd
// 0.002 over 20 runs) was held by one percentage point, nearly 20
// standard errors of the difference. One sd is below the statistical term of a check of up to about
// 2t² runs (t ≈ 4: some 30), so there the limit is the statistical term;
// what the floor still does is hold figures of a few whole values, such
// as a transfer count that is 0 in most runs, whose mean the t quantile
// cannot hold: without it a check of 80 runs on 80 raised false alarms
// 1.1 % of the time, with it 0.85 % (docs/CI.md).
func DefaultFloor(m BaselineMetric) float64 {
	f := Metric(m.Metric).Floor
	if m.SD > 0 {
		return math.Min(f, m.SD)
	}
	return f
}

// limit returns max(abs_tol, rel_tol·|mean|, k·SE) with SE and k (see
// Check); alpha is the two-sided per-metric level.
func limit(def Tolerance, m BaselineMetric, now Stat, alpha float64) (lim, se, k float64) {
	pick := func(own, d *float64, fallback float64) float64 {
		switch {
		case own != nil:
			return *own
		case d != nil:
			return *d
		}
		return fallback
	}
	abs := pick(m.AbsTol, def.AbsTol, DefaultFloor(m))
	rel := pick(m.RelTol, def.RelTol, 0)
	va := m.SD * m.SD / float64(m.N)
	vb := now.SD * now.SD / float64(now.N)
	se = math.Sqrt(va + vb)
	switch {
	case m.Z != nil || def.Z != nil:
		k = pick(m.Z, def.Z, 0)
	case se == 0:
		k = 0
	default:
		k = welchQuantile(va, vb, m.N, now.N, alpha)
	}
	return math.Max(abs, math.Max(rel*math.Abs(m.Mean), k*se)), se, k
}

// welchQuantile returns the 1 − alpha/2 quantile of Student's t with the
// Welch–Satterthwaite degrees of freedom of two means with squared
// standard errors va and vb from na and nb values (the normal quantile
// when a side has a single value and so no degrees of freedom).
func welchQuantile(va, vb float64, na, nb int, alpha float64) float64 {
	var den float64
	if na > 1 {
		den += va * va / float64(na-1)
	}
	if nb > 1 {
		den += vb * vb / float64(nb-1)
	}
	if den == 0 || na < 2 || nb < 2 {
		return portable.NormalQuantile(1 - float64(alpha/2))
	}
	df := (va + vb) * (va + vb) / den
	return portable.StudentsTQuantile(1-float64(alpha/2), df)
}

// PrintCheck writes the verdict as an aligned table, failures marked FAIL,
// and closing lines with the count and the false-alarm rate.
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
	_, err := fmt.Fprintf(w, "\n%d of %d metrics within their limits; %d failed\n"+
		"limit = max(floor, t·SE of the difference), t for a false-alarm rate of %g over all metrics (%.2g each, two-sided)\n",
		len(res.Rows)-res.Failed, len(res.Rows), res.Failed, res.FalseAlarm, res.PerMetric)
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
		SE       *float64 `json:"se"`
		OK       bool     `json:"ok"`
		Why      string   `json:"why,omitempty"`
	}
	out := struct {
		OK         bool    `json:"ok"`
		Failed     int     `json:"failed"`
		FalseAlarm float64 `json:"false_alarm"`
		PerMetric  float64 `json:"per_metric_level"`
		Metrics    []row   `json:"metrics"`
	}{OK: res.Failed == 0, Failed: res.Failed, FalseAlarm: res.FalseAlarm, PerMetric: res.PerMetric, Metrics: []row{}}
	for _, r := range res.Rows {
		out.Metrics = append(out.Metrics, row{r.Point, r.Metric, r.Region, Nullable(r.Baseline), Nullable(r.Now), Nullable(r.Delta), Nullable(r.Limit), Nullable(r.SE), r.OK, r.Why})
	}
	return WriteJSON(w, out)
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
