package sim

import (
	"math"
	"slices"

	"github.com/triad-sim/triad/internal/portable"
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

// AdoptionAges are the product ages, in steps after commercialization, at
// which adoption_at_<age> measures the share of a region's firms that had
// adopted a product.
var AdoptionAges = [2]int{24, 60}

// Fates of an innovation at the end of a run.
const (
	FatePending        = "pending"
	FateCommercialized = "commercialized"
	FateLost           = "lost"
)

// Innovation is what the innovation log records of one breakthrough (or
// initial product) of a run: where it came from, what became of it and
// when each region's firms took it up. Region and city fields are indices
// into the Config's regions and its cities in file order.
type Innovation struct {
	// Origin and OriginCity are the region and global city index of its
	// lab (of its first adopters for an initial innovation).
	Origin, OriginCity int
	// Discovered is the step of the breakthrough, -1 for an innovation
	// that was already a product at step 0.
	Discovered int
	// Fate is FatePending, FateCommercialized or FateLost; FateStep the
	// step it was commercialized (-1 for an initial one) or lost, -1
	// while pending.
	Fate     string
	FateStep int
	// Region is the region of the commercializing firm, -1 unless
	// commercialized.
	Region int
	// Reached[t][r] is the step at whose end 10, 50 or 90 % (t = 0, 1, 2)
	// of region r's firms had adopted it, -1 when that never happened.
	Reached [3][]int
	// AtAge[a][r] is the share of region r's firms that had adopted it
	// AdoptionAges[a] steps after its commercialization, NaN when the run
	// ended before that age (or it was never commercialized).
	AtAge [len(AdoptionAges)][]float64
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
	// T50KM is, per region, the Kaplan–Meier median of the steps from
	// commercialization to 50 % adoption over every commercialized
	// innovation, those that had not got there by the end counting as
	// censored (NaN when fewer than half are known to get there).
	T50KM []float64
	// AdoptionAt[a][r] is the mean, over innovations at least
	// AdoptionAges[a] steps old by the end, of the share of region r's
	// firms that had adopted them at that age (NaN when none is that old).
	AdoptionAt [len(AdoptionAges)][]float64
	// CommercializationRate is the share of breakthroughs with a settled
	// fate (discovered early enough that max_pending steps of searching
	// ended within the run) that were commercialized; NaN when none is
	// settled.
	CommercializationRate float64
	// Innovations is the innovation log, in order of discovery (initial
	// innovations first).
	Innovations []Innovation
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
	MetricAdoptionAt24     = "adoption_at_24"
	MetricAdoptionAt60     = "adoption_at_60"
	MetricT50              = "t50"
	MetricT50KM            = "t50_km"
	MetricReached50        = "reached50_share"
	MetricCommercialRate   = "commercialization_rate"
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
		{MetricCommercialRate, "", r.CommercializationRate},
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
			Metric{MetricAdoptionAt24, id, r.adoptionAt(0, i)},
			Metric{MetricAdoptionAt60, id, r.adoptionAt(1, i)},
			Metric{MetricT50, id, r.T50[i]},
			Metric{MetricT50KM, id, r.t50KM(i)},
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

// adoptionAt returns AdoptionAt[a][region], NaN where a run file of an
// older format lacks it.
func (r *RunResult) adoptionAt(a, region int) float64 {
	if region >= len(r.AdoptionAt[a]) {
		return math.NaN()
	}
	return r.AdoptionAt[a][region]
}

func (r *RunResult) t50KM(region int) float64 {
	if region >= len(r.T50KM) {
		return math.NaN()
	}
	return r.T50KM[region]
}

// MedianLag is the median lab-to-market lag in steps (the empirical
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
	return portable.Quantile(0.5, s, nil)
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}
