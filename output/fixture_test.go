package output

import (
	"math"

	"github.com/triad-sim/triad/sim"
)

// row builds one sim.Row.
func row(step, region, disc, comm, lost int, share float64, r10, r50, r90 int) sim.Row {
	return sim.Row{
		Step: step, Region: region,
		Discovered: disc, Commercialized: comm, Lost: lost,
		AdoptionShare: share,
		Reached10:     r10, Reached50: r50, Reached90: r90,
	}
}

// fixture returns a small hand-built Result: two regions (src, a source, and
// acc, an accelerator), three replicates of four steps. The numbers are
// consistent with each other: per-region commercialization matches the
// columns of the transfer matrix and the number of lags.
func fixture() *sim.Result {
	nan := math.NaN()
	cfg := sim.Config{
		Name:       "toy",
		Seed:       7,
		Steps:      4,
		Replicates: 3,
		Regions: []sim.Region{
			{ID: "src", Name: "Source Hub", Role: "source"},
			{ID: "acc", Name: "Accelerator Hub", Role: "accelerator"},
		},
	}
	runs := []*sim.RunResult{
		{
			Point: 0, Replicate: 0, Seed: 101,
			Rows: []sim.Row{
				row(0, 0, 2, 0, 0, 0, 0, 0, 0), row(0, 1, 0, 0, 0, 0, 0, 0, 0),
				row(1, 0, 1, 0, 0, 0, 0, 0, 0), row(1, 1, 0, 1, 0, 0.1, 1, 0, 0),
				row(2, 0, 1, 1, 0, 0.05, 0, 0, 0), row(2, 1, 1, 0, 0, 0.3, 1, 0, 0),
				row(3, 0, 0, 0, 1, 0.2, 1, 0, 0), row(3, 1, 0, 1, 0, 0.5, 2, 1, 0),
			},
			Transfer:              [][]int{{1, 1}, {0, 1}},
			Lags:                  []int{1, 2, 2},
			T50:                   []float64{nan, 2},
			Reached50:             []float64{0, 1.0 / 3},
			T50KM:                 []float64{nan, nan},
			AdoptionAt:            [2][]float64{{0.05, 0.3}, {nan, nan}},
			CommercializationRate: 0.5,
		},
		{
			Point: 0, Replicate: 1, Seed: 102,
			Rows: []sim.Row{
				row(0, 0, 1, 0, 0, 0, 0, 0, 0), row(0, 1, 1, 0, 0, 0, 0, 0, 0),
				row(1, 0, 2, 0, 0, 0, 0, 0, 0), row(1, 1, 0, 2, 0, 0.25, 2, 0, 0),
				row(2, 0, 0, 0, 0, 0.1, 1, 0, 0), row(2, 1, 0, 1, 0, 0.4, 2, 1, 0),
				row(3, 0, 1, 1, 0, 0.25, 1, 1, 0), row(3, 1, 0, 0, 0, 0.6, 3, 1, 1),
			},
			Transfer:              [][]int{{1, 2}, {0, 1}},
			Lags:                  []int{1, 1, 2, 3},
			T50:                   []float64{5, 3},
			Reached50:             []float64{0.25, 0.25},
			T50KM:                 []float64{nan, 3},
			AdoptionAt:            [2][]float64{{0.1, 0.4}, {nan, nan}},
			CommercializationRate: 2.0 / 3,
		},
		{
			Point: 0, Replicate: 2, Seed: 103,
			Rows: []sim.Row{
				row(0, 0, 3, 0, 0, 0, 0, 0, 0), row(0, 1, 0, 0, 0, 0, 0, 0, 0),
				row(1, 0, 0, 0, 1, 0, 0, 0, 0), row(1, 1, 1, 1, 0, 0.2, 1, 0, 0),
				row(2, 0, 1, 0, 0, 0.1, 0, 0, 0), row(2, 1, 0, 1, 0, 0.45, 2, 0, 0),
				row(3, 0, 0, 0, 0, 0.15, 1, 0, 0), row(3, 1, 0, 1, 0, 0.7, 3, 2, 0),
			},
			Transfer:              [][]int{{0, 3}, {0, 0}},
			Lags:                  []int{1, 2, 3},
			T50:                   []float64{nan, 4},
			Reached50:             []float64{0, 2.0 / 3},
			T50KM:                 []float64{nan, 4},
			AdoptionAt:            [2][]float64{{0.1, 0.45}, {nan, nan}},
			CommercializationRate: 1,
		},
	}
	return &sim.Result{Config: cfg, Regions: cfg.RegionIDs(), Runs: runs}
}
