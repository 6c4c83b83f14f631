package output

import (
	"fmt"
	"math"
	"slices"

	"github.com/triad-sim/triad/internal/portable"
	"github.com/triad-sim/triad/sim"
)

// Stat is the summary over runs of one per-run metric for one region (""
// for a whole-scenario metric).
type Stat struct {
	Metric string
	Region string
	// N counts the runs where the metric exists (its non-NaN values).
	N int
	// Mean and SD are the sample mean and the sample standard deviation
	// (divisor N-1) of those values. SD is 0 when N is 1; both are NaN when
	// N is 0.
	Mean, SD float64
	// Median is the empirical median (the lower of the two middle values
	// when N is even, as in sim.RunResult.MedianLag), NaN when N is 0.
	Median float64
	// CILow and CIHigh bound the 95 % confidence interval of the mean,
	// Mean ∓ t·SD/√N with t the 0.975 quantile of Student's t with N-1
	// degrees of freedom. Both are NaN when N < 2: one value says nothing
	// about the spread, and a zero-width interval would claim certainty.
	CILow, CIHigh float64
}

// HalfWidth returns half the width of the confidence interval, the "±" of
// Mean; it is NaN when N < 2.
func (s Stat) HalfWidth() float64 { return (s.CIHigh - s.CILow) / 2 }

// scaled returns s with its mean and interval multiplied by k (100 to show
// a share in percent).
func (s Stat) scaled(k float64) Stat {
	s.Mean, s.CILow, s.CIHigh = k*s.Mean, k*s.CILow, k*s.CIHigh
	return s
}

// Summary is the summary of a set of runs: one Stat per metric and region,
// in the order of sim.RunResult.Metrics (whole-scenario metrics, then per
// region, then the transfer matrix row by row).
type Summary []Stat

// Get returns the Stat of a metric for a region ("" for the whole
// scenario), and whether there is one.
func (s Summary) Get(metric, region string) (Stat, bool) {
	for _, st := range s {
		if st.Metric == metric && st.Region == region {
			return st, true
		}
	}
	return Stat{}, false
}

// Summarize summarizes every metric of sim.RunResult.Metrics over runs.
// regions are the region ids in Config order. Nil runs are skipped; with no
// runs the Summary is empty. Summarize panics if the runs do not all have
// the same metrics (runs of different Configs).
func Summarize(regions []string, runs []*sim.RunResult) Summary {
	var keys []sim.Metric
	var values [][]float64 // values[metric][run]
	for _, run := range runs {
		if run == nil {
			continue
		}
		ms := run.Metrics(regions)
		if keys == nil {
			keys = ms
			values = make([][]float64, len(ms))
		}
		if len(ms) != len(keys) {
			panic(fmt.Sprintf("output: run %d has %d metrics, want %d", run.Replicate, len(ms), len(keys)))
		}
		for i, m := range ms {
			if m.Name != keys[i].Name || m.Region != keys[i].Region {
				panic(fmt.Sprintf("output: run %d has metric %s/%s where %s/%s was expected",
					run.Replicate, m.Name, m.Region, keys[i].Name, keys[i].Region))
			}
			values[i] = append(values[i], m.Value)
		}
	}
	s := make(Summary, len(keys))
	for i, k := range keys {
		s[i] = describe(values[i])
		s[i].Metric, s[i].Region = k.Name, k.Region
	}
	return s
}

// describe returns the N, Mean, SD, Median and confidence interval of the
// non-NaN values of xs.
func describe(xs []float64) Stat {
	v := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	nan := math.NaN()
	st := Stat{N: len(v), Mean: nan, SD: nan, Median: nan, CILow: nan, CIHigh: nan}
	switch len(v) {
	case 0:
		return st
	case 1:
		st.Mean, st.SD, st.Median = v[0], 0, v[0]
		return st
	}
	st.Mean, st.SD = portable.MeanStdDev(v, nil)
	slices.Sort(v)
	st.Median = portable.Quantile(0.5, v, nil)
	h := tQuantile975(len(v)-1) * st.SD / math.Sqrt(float64(len(v)))
	st.CILow, st.CIHigh = st.Mean-h, st.Mean+h
	return st
}

// tQuantile975 returns the 0.975 quantile of Student's t distribution with
// nu degrees of freedom: the factor of a two-sided 95 % interval.
func tQuantile975(nu int) float64 {
	return portable.StudentsTQuantile(0.975, float64(nu))
}
