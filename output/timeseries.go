package output

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/triad-sim/triad/sim"
)

// timeseriesHeader is the fixed part of the time-series CSV header.
var timeseriesHeader = []string{
	"replicate", "step", "region",
	"discovered", "commercialized", "lost",
	"adoption_share", "reached_10", "reached_50", "reached_90",
}

// WriteTimeseries writes every step of every run of res as CSV, one row per
// (replicate, step, region) in that order, under the header
//
//	replicate,step,region,discovered,commercialized,lost,adoption_share,reached_10,reached_50,reached_90
//
// Regions are written as their ids and floats in the shortest form that
// reads back exactly. Nil runs are skipped.
func WriteTimeseries(w io.Writer, res *sim.Result) error {
	tw := NewTimeseriesWriter(w, res.Regions)
	if err := tw.WriteHeader(); err != nil {
		return err
	}
	for _, run := range SortedRuns(res.Runs) {
		if err := tw.WriteRun(run); err != nil {
			return err
		}
	}
	return nil
}

// TimeseriesWriter writes the time-series CSV one run at a time, so that a
// long sweep can stream its runs to disk as they finish. The caller writes
// the header once, then the runs in the order they should appear.
//
// A TimeseriesWriter may carry extra leading columns, such as the sweep
// point and the values of the swept parameters: their names are fixed when
// the writer is made and their values given with each run.
type TimeseriesWriter struct {
	csv     *csv.Writer
	regions []string
	extra   []string
	record  []string
}

// NewTimeseriesWriter returns a writer of the time-series CSV for runs over
// the given region ids (in Config order), with optional extra leading
// columns named extra.
func NewTimeseriesWriter(w io.Writer, regions []string, extra ...string) *TimeseriesWriter {
	return &TimeseriesWriter{
		csv:     csv.NewWriter(w),
		regions: regions,
		extra:   slices.Clone(extra),
		record:  make([]string, len(extra)+len(timeseriesHeader)),
	}
}

// WriteHeader writes the header row: the extra column names, then the
// fixed columns.
func (t *TimeseriesWriter) WriteHeader() error {
	t.csv.Write(append(slices.Clone(t.extra), timeseriesHeader...))
	t.csv.Flush()
	if err := t.csv.Error(); err != nil {
		return fmt.Errorf("write time series header: %w", err)
	}
	return nil
}

// WriteRun writes all rows of one run, ordered by step and region, and
// flushes them. values are the values of the extra columns, one per name
// given to NewTimeseriesWriter; WriteRun panics when their number differs.
// A nil run writes nothing.
func (t *TimeseriesWriter) WriteRun(run *sim.RunResult, values ...string) error {
	if len(values) != len(t.extra) {
		panic(fmt.Sprintf("output: WriteRun got %d extra values, want %d", len(values), len(t.extra)))
	}
	if run == nil {
		return nil
	}
	rec := t.record
	copy(rec, values)
	f := rec[len(values):]
	rep := strconv.Itoa(run.Replicate)
	for _, row := range run.Rows {
		f[0] = rep
		f[1] = strconv.Itoa(row.Step)
		f[2] = t.regions[row.Region]
		f[3] = strconv.Itoa(row.Discovered)
		f[4] = strconv.Itoa(row.Commercialized)
		f[5] = strconv.Itoa(row.Lost)
		f[6] = formatFloat(row.AdoptionShare)
		f[7] = strconv.Itoa(row.Reached10)
		f[8] = strconv.Itoa(row.Reached50)
		f[9] = strconv.Itoa(row.Reached90)
		t.csv.Write(rec)
	}
	t.csv.Flush()
	if err := t.csv.Error(); err != nil {
		return fmt.Errorf("write time series of replicate %d: %w", run.Replicate, err)
	}
	return nil
}

// formatFloat writes v in the shortest form that reads back exactly; NaN is
// written as "NaN".
func formatFloat(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// SortedRuns returns the non-nil runs ordered by sweep point and replicate.
func SortedRuns(runs []*sim.RunResult) []*sim.RunResult {
	out := make([]*sim.RunResult, 0, len(runs))
	for _, r := range runs {
		if r != nil {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b *sim.RunResult) int {
		if a.Point != b.Point {
			return a.Point - b.Point
		}
		return a.Replicate - b.Replicate
	})
	return out
}
