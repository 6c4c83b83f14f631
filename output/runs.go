package output

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/triad-sim/triad/sim"
)

// RunsWriter writes the per-run figures as CSV in long form, one row per
// run, figure and region, so that a user can do their own statistics on
// the runs behind every mean:
//
//	[extra columns,]replicate,seed,metric,region,value
//
// Like TimeseriesWriter it streams one run at a time and may carry extra
// leading columns (the sweep point and swept values).
type RunsWriter struct {
	csv     *csv.Writer
	regions []string
	extra   []string
}

// NewRunsWriter returns a writer of the per-run CSV for runs over the given
// region ids, with optional extra leading columns.
func NewRunsWriter(w io.Writer, regions []string, extra ...string) *RunsWriter {
	return &RunsWriter{csv: csv.NewWriter(w), regions: regions, extra: slices.Clone(extra)}
}

// WriteHeader writes the header row.
func (r *RunsWriter) WriteHeader() error {
	r.csv.Write(append(slices.Clone(r.extra), "replicate", "seed", "metric", "region", "value"))
	r.csv.Flush()
	if err := r.csv.Error(); err != nil {
		return fmt.Errorf("write runs header: %w", err)
	}
	return nil
}

// WriteRun writes every figure of one run; values fill the extra columns.
func (r *RunsWriter) WriteRun(run *sim.RunResult, values ...string) error {
	if len(values) != len(r.extra) {
		panic(fmt.Sprintf("output: RunsWriter.WriteRun got %d extra values, want %d", len(values), len(r.extra)))
	}
	rec := append(slices.Clone(values), strconv.Itoa(run.Replicate), strconv.FormatUint(run.Seed, 10), "", "", "")
	n := len(values)
	for _, m := range run.Metrics(r.regions) {
		rec[n+2], rec[n+3], rec[n+4] = m.Name, m.Region, formatFloat(m.Value)
		r.csv.Write(rec)
	}
	r.csv.Flush()
	if err := r.csv.Error(); err != nil {
		return fmt.Errorf("write runs of replicate %d: %w", run.Replicate, err)
	}
	return nil
}
