package output

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/triad-sim/triad/sim"
)

// PointSummary is the summary of the runs of one sweep point.
type PointSummary struct {
	Point sim.Point
	// Runs counts the point's finished runs.
	Runs    int
	Summary Summary
}

// SummarizePoints groups runs by sweep point and summarizes each group:
// one PointSummary per point, in the order of points. regions are the
// region ids in Config order. Nil runs are skipped; a point without
// finished runs has Runs 0 and an empty Summary.
func SummarizePoints(regions []string, points []sim.Point, runs []*sim.RunResult) []PointSummary {
	byPoint := map[int][]*sim.RunResult{}
	for _, run := range SortedRuns(runs) {
		byPoint[run.Point] = append(byPoint[run.Point], run)
	}
	ps := make([]PointSummary, len(points))
	for i, pt := range points {
		rs := byPoint[pt.Index]
		ps[i] = PointSummary{Point: pt, Runs: len(rs), Summary: Summarize(regions, rs)}
	}
	return ps
}

// WritePointsCSV writes the design of a sweep as CSV, one row per point,
// under the header
//
//	point,<path1>,<path2>,...,replications
//
// paths are the swept parameters (sim.Config.SweepPaths) and replications the
// number of runs of every point. Values are written in the shortest form
// that reads back exactly. It panics if a point does not have one value per
// path.
func WritePointsCSV(w io.Writer, paths []string, points []sim.Point, replications int) error {
	cw := csv.NewWriter(w)
	cw.Write(slices.Concat([]string{"point"}, paths, []string{"replicates"}))
	reps := strconv.Itoa(replications)
	for _, pt := range points {
		cw.Write(append(pointFields(paths, pt), reps))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write sweep points: %w", err)
	}
	return nil
}

// WriteSweepSummaryCSV writes the summary of every sweep point as CSV under
// the header
//
//	point,<path1>,<path2>,...,metric,region,n,mean,sd,ci_low,ci_high
//
// Each point's rows are those of WriteSummaryCSV for its Summary, led by
// the point's index and values; points come in the order of ps. It panics
// if a point does not have one value per path.
func WriteSweepSummaryCSV(w io.Writer, paths []string, ps []PointSummary) error {
	cw := csv.NewWriter(w)
	cw.Write(slices.Concat([]string{"point"}, paths, statHeader))
	for _, p := range ps {
		writeStats(cw, pointFields(paths, p.Point), p.Summary)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write sweep summary: %w", err)
	}
	return nil
}

// pointFields returns the point's index and values as CSV fields.
func pointFields(paths []string, pt sim.Point) []string {
	CheckPoint(paths, pt)
	f := make([]string, 0, 1+len(paths)+1)
	f = append(f, strconv.Itoa(pt.Index))
	for _, v := range pt.Values {
		f = append(f, formatFloat(v))
	}
	return f
}

// CheckPoint panics unless pt has one value per path.
func CheckPoint(paths []string, pt sim.Point) {
	if len(pt.Values) != len(paths) {
		panic(fmt.Sprintf("output: point %d has %d values for %d swept paths", pt.Index, len(pt.Values), len(paths)))
	}
}

// sweepSummaryJSON is the shape of the sweep summary JSON file.
type sweepSummaryJSON struct {
	Paths  []string    `json:"paths"`
	Points []pointJSON `json:"points"`
}

// pointJSON is one sweep point in the sweep summary JSON file.
type pointJSON struct {
	Point  int                 `json:"point"`
	Values map[string]*float64 `json:"values"`
	Runs   int                 `json:"runs"`
	// Metrics are as in the summary JSON file.
	Metrics []statJSON `json:"metrics"`
}

// WriteSweepSummaryJSON writes the summary of every sweep point as JSON
// indented by two spaces, in this shape:
//
//	{
//	  "paths": ["regions.yrd.reach"],
//	  "points": [
//	    {"point": 0, "values": {"regions.yrd.reach": 0.1}, "runs": 20,
//	     "metrics": [{"metric": "t50", "region": "gba", "n": 20, ...}, ...]},
//	    ...
//	  ]
//	}
//
// "paths" lists the swept parameters in order and "values" maps each to the
// point's value; "runs" counts the point's finished runs. The metric
// objects are those of WriteSummaryJSON, NaN written as null. It panics if
// a point does not have one value per path.
func WriteSweepSummaryJSON(w io.Writer, paths []string, ps []PointSummary) error {
	out := sweepSummaryJSON{Paths: paths, Points: make([]pointJSON, len(ps))}
	if out.Paths == nil {
		out.Paths = []string{}
	}
	for i, p := range ps {
		CheckPoint(paths, p.Point)
		pj := pointJSON{
			Point:   p.Point.Index,
			Values:  make(map[string]*float64, len(paths)),
			Runs:    p.Runs,
			Metrics: make([]statJSON, len(p.Summary)),
		}
		for d, path := range paths {
			pj.Values[path] = Nullable(p.Point.Values[d])
		}
		for k, st := range p.Summary {
			pj.Metrics[k] = newStatJSON(st)
		}
		out.Points[i] = pj
	}
	if err := WriteJSON(w, out); err != nil {
		return fmt.Errorf("write sweep summary: %w", err)
	}
	return nil
}

// PointValues holds what SweepDiffs needs of one sweep point's runs: each
// run's replicate and seed, and the per-run values of the figures it
// compares, in replicate order.
type PointValues struct {
	Point sim.Point
	// Replicates and Seeds identify the runs, in order.
	Replicates []int
	Seeds      []uint64
	Values     map[sim.Metric][]float64
}

// CollectPointValues keeps the replications, seeds and the values of keys
// (metric and region, Value unused) of one point's runs; nil runs are
// skipped.
func CollectPointValues(regions []string, pt sim.Point, runs []*sim.RunResult, keys []sim.Metric) PointValues {
	pv := PointValues{Point: pt, Values: map[sim.Metric][]float64{}}
	want := map[sim.Metric]bool{}
	for _, k := range keys {
		want[sim.Metric{Name: k.Name, Region: k.Region}] = true
	}
	for _, r := range SortedRuns(runs) {
		pv.Replicates = append(pv.Replicates, r.Replicate)
		pv.Seeds = append(pv.Seeds, r.Seed)
		for _, m := range r.Metrics(regions) {
			k := sim.Metric{Name: m.Name, Region: m.Region}
			if want[k] {
				pv.Values[k] = append(pv.Values[k], m.Value)
			}
		}
	}
	return pv
}

// SweepKeys returns the figures SweepDiffs compares: those Compare
// reports by default (see Compare), chosen from the summary of the first
// point.
func SweepKeys(cfg *sim.Config, first Summary) []sim.Metric {
	keys, _ := compareKeys(cfg, first, nil)
	return keys
}

// SweepDiff is the difference of one figure between a sweep point and the
// first point.
type SweepDiff struct {
	Point          sim.Point
	Metric, Region string
	Diff           Difference
}

// SweepDiffs compares every point after the first with the first, figure
// by figure (keys, see SweepKeys). Points whose runs share the first
// point's seeds replicate by replicate (common random numbers, the
// default) are compared by paired tests on the per-replicate differences,
// others by Welch's test, as in Compare. Every p-value of all points and
// figures is adjusted together by Benjamini–Hochberg.
func SweepDiffs(keys []sim.Metric, pvs []PointValues) []SweepDiff {
	if len(pvs) < 2 {
		return nil
	}
	ref := pvs[0]
	var out []SweepDiff
	for _, pv := range pvs[1:] {
		paired := slices.Equal(ref.Seeds, pv.Seeds) && slices.Equal(ref.Replicates, pv.Replicates) && len(ref.Seeds) > 0
		for _, k := range keys {
			k := sim.Metric{Name: k.Name, Region: k.Region}
			a, b := ref.Values[k], pv.Values[k]
			var d Difference
			if paired {
				d = pairedDiff(a, b)
			} else {
				d = welch(describe(a), describe(b))
			}
			out = append(out, SweepDiff{Point: pv.Point, Metric: k.Name, Region: k.Region, Diff: d})
		}
	}
	ps := make([]float64, len(out))
	for i, d := range out {
		ps[i] = d.Diff.P
	}
	for i, p := range AdjustBH(ps) {
		out[i].Diff.PAdj = p
	}
	return out
}

// WriteSweepDiffCSV writes the differences of every sweep point to the
// first as CSV under the header
//
//	point,<path1>,...,metric,region,test,pairs,diff,diff_ci_low,diff_ci_high,
//	effect_size,effect_measure,p_value,p_adjusted
//
// with the columns of WriteCompareCSV: the test (paired t, Wilcoxon
// signed-rank or Welch t), the number of pairs, the difference with its
// 95 % interval, the standardised effect (d_z or g), the raw p and the
// Benjamini–Hochberg p adjusted over all points and figures. It panics if
// a point does not have one value per path.
func WriteSweepDiffCSV(w io.Writer, paths []string, diffs []SweepDiff) error {
	cw := csv.NewWriter(w)
	cw.Write(slices.Concat([]string{"point"}, paths, []string{"metric", "region", "test", "pairs", "diff", "diff_ci_low", "diff_ci_high",
		"effect_size", "effect_measure", "p_value", "p_adjusted"}))
	for _, s := range diffs {
		d := s.Diff
		cw.Write(append(pointFields(paths, s.Point), s.Metric, s.Region, d.Test, strconv.Itoa(d.N),
			formatFloat(d.Mean), formatFloat(d.CILow), formatFloat(d.CIHigh), formatFloat(d.Effect), d.EffectName(),
			formatFloat(d.P), formatFloat(d.PAdj)))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write sweep differences: %w", err)
	}
	return nil
}

// RoleAccelerator is the region role whose share of commercialization the
// sweep charts and comparisons report by default.
const RoleAccelerator = "accelerator"

// AcceleratorRegions returns the indices of cfg's regions whose role is
// RoleAccelerator, or of all regions when none is.
func AcceleratorRegions(cfg *sim.Config) []int {
	var acc, all []int
	for i, r := range cfg.Regions {
		all = append(all, i)
		if r.Role == RoleAccelerator {
			acc = append(acc, i)
		}
	}
	if len(acc) == 0 {
		return all
	}
	return acc
}

// SweepFigures are the figures the sweep charts draw against each swept
// parameter, in order; the catalogue (Metric) describes each.
var SweepFigures = []string{sim.MetricT50, sim.MetricAdoptionAt24, sim.MetricCommercialShare}

// Clip01 clips v to [0, 1], keeping NaN.
func Clip01(v float64) float64 {
	if math.IsNaN(v) {
		return v
	}
	return min(max(v, 0), 1)
}
