package sim

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Row is one step's figures for one region in one run.
type Row struct {
	Step   int
	Region int
	// Discovered counts breakthroughs made in the region this step (by
	// origin); Lost counts the region's breakthroughs lost this step.
	Discovered int
	// Commercialized counts innovations that a firm of the region turned
	// into a product this step (by the commercializing firm's region).
	Commercialized int
	Lost           int
	// AdoptionShare is the region's adopters summed over the innovations
	// commercialized so far, divided by firms × innovations (0 before the
	// first one).
	AdoptionShare float64
	// Reached10, Reached50 and Reached90 count the innovations adopted by
	// at least 10 %, 50 % and 90 % of the region's firms.
	Reached10, Reached50, Reached90 int
}

// RunResult is everything one run (one replicate of one sweep point) produced.
type RunResult struct {
	// Point is the sweep point (0 without a sweep) and Replicate the
	// replicate within it.
	Point, Replicate int
	// Seed is the run's seed, derived from Config.Seed and Replicate (and
	// Point when the sweep asks for independent seeds; see
	// Config.RunSeed). Runs of two sets with equal seeds per replicate are
	// paired.
	Seed uint64
	// Rows holds Steps × regions rows ordered by step, then region.
	Rows []Row
	// Transfer[o][d] counts innovations from region o commercialized by a
	// firm in region d.
	Transfer [][]int
	// Lags holds the lab-to-market lag, in steps, of every commercialized
	// innovation, in the order they were commercialized.
	Lags []int
	// T50 is, per region, the mean number of steps from commercialization
	// to 50 % adoption in the region among innovations that got there (NaN
	// when none did); Reached50 is the share of commercialized innovations
	// that got there.
	T50, Reached50 []float64
	// Trials counts adoption trials: non-adopting firm × commercialized
	// innovation × step. It measures the work done, for benchmarks.
	Trials int64
}

// Metric is one per-run figure: a named number for a region ("" for the
// whole scenario).
type Metric struct {
	Name   string
	Region string
	Value  float64
}

// Metric names, in the order Metrics returns them.
const (
	MetricDiscovered       = "discovered"
	MetricCommercialized   = "commercialized"
	MetricCommercialShare  = "commercialized_share"
	MetricLost             = "lost"
	MetricFinalAdoption    = "final_adoption"
	MetricT50              = "t50"
	MetricReached50        = "reached50_share"
	MetricLagMedian        = "lag_median"
	MetricTransferToPrefix = "transfer_to_"
)

// Metrics flattens the run's per-run figures. regions are the region ids in
// Config order. The order is fixed: whole-scenario figures first, then per
// region, then the transfer matrix row by row. NaN marks a figure that does
// not exist in this run (such as t50 when no innovation reached 50 %).
func (r *RunResult) Metrics(regions []string) []Metric {
	n := len(regions)
	disc := make([]int, n)
	comm := make([]int, n)
	lost := make([]int, n)
	for _, row := range r.Rows {
		disc[row.Region] += row.Discovered
		comm[row.Region] += row.Commercialized
		lost[row.Region] += row.Lost
	}
	totalDisc, totalComm := sum(disc), sum(comm)
	ms := []Metric{
		{MetricDiscovered, "", float64(totalDisc)},
		{MetricCommercialized, "", float64(totalComm)},
		{MetricLost, "", float64(sum(lost))},
		{MetricLagMedian, "", r.MedianLag()},
	}
	last := r.Rows[len(r.Rows)-n:]
	for i, id := range regions {
		share := math.NaN()
		if totalComm > 0 {
			share = float64(comm[i]) / float64(totalComm)
		}
		ms = append(ms,
			Metric{MetricDiscovered, id, float64(disc[i])},
			Metric{MetricCommercialized, id, float64(comm[i])},
			Metric{MetricCommercialShare, id, share},
			Metric{MetricLost, id, float64(lost[i])},
			Metric{MetricFinalAdoption, id, last[i].AdoptionShare},
			Metric{MetricT50, id, r.T50[i]},
			Metric{MetricReached50, id, r.Reached50[i]},
		)
	}
	for o, id := range regions {
		for d, to := range regions {
			ms = append(ms, Metric{MetricTransferToPrefix + to, id, float64(r.Transfer[o][d])})
		}
	}
	return ms
}

// MedianLag is the median lab-to-market lag in steps (gonum's empirical
// quantile: the lower middle value of an even count), NaN when nothing was
// commercialized.
func (r *RunResult) MedianLag() float64 {
	if len(r.Lags) == 0 {
		return math.NaN()
	}
	s := make([]float64, len(r.Lags))
	for i, l := range r.Lags {
		s[i] = float64(l)
	}
	slices.Sort(s)
	return stat.Quantile(0.5, stat.Empirical, s, nil)
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}
