package output

import (
	"fmt"
	"math"

	"github.com/triad-sim/triad/sim"
)

// Band is one region's adoption share step by step over the runs: the mean
// and its 95 % confidence interval at every step (see Stat for how they are
// computed). Band implements plotter.XYer with x the step and y the mean;
// Envelope gives the outline of the interval.
type Band struct {
	Region string
	Steps  []int
	// Mean, Low and High hold, per step, the mean share and the bounds of
	// its confidence interval (NaN with fewer than two runs).
	Mean, Low, High []float64
}

// Len returns the number of steps.
func (b Band) Len() int { return len(b.Steps) }

// XY returns the step and the mean share at index i.
func (b Band) XY(i int) (x, y float64) { return float64(b.Steps[i]), b.Mean[i] }

// Envelope returns the closed outline of the confidence band, ready for
// plotter.NewPolygon: the upper bounds by increasing step, then the lower
// bounds back. Where a bound is NaN (fewer than two runs) the outline
// follows the mean, so the band has zero width there; bounds outside [0, 1],
// which the t interval allows but a share cannot reach, are clipped to it.
func (b Band) Envelope() Envelope { return Envelope{b: b} }

// DiffEnvelope is the outline of a band of differences, as Envelope but
// not clipped to [0, 1], since a difference of shares lies in [−1, 1].
func (b Band) DiffEnvelope() Envelope { return Envelope{b: b, unclipped: true} }

// Envelope is the outline of a Band's confidence interval; it implements
// plotter.XYer. The outline of a difference (DiffEnvelope) is not clipped.
type Envelope struct {
	b         Band
	unclipped bool
}

// Len returns the number of vertices: two per step.
func (e Envelope) Len() int { return 2 * len(e.b.Steps) }

// XY returns vertex i of the outline.
func (e Envelope) XY(i int) (x, y float64) {
	n := len(e.b.Steps)
	bound := e.b.High
	if i >= n {
		i = 2*n - 1 - i
		bound = e.b.Low
	}
	y = bound[i]
	if math.IsNaN(y) {
		y = e.b.Mean[i]
	}
	if e.unclipped {
		return float64(e.b.Steps[i]), y
	}
	return float64(e.b.Steps[i]), min(max(y, 0), 1)
}

// Bands returns the adoption-share band of every region of res, in region
// order, over its non-nil runs; nil when there are none.
func Bands(res *sim.Result) []Band {
	runs := SortedRuns(res.Runs)
	steps := stepsOf(res.Regions, runs)
	if steps == nil {
		return nil
	}
	n := len(res.Regions)
	bands := make([]Band, n)
	vals := make([]float64, len(runs))
	for r, id := range res.Regions {
		b := Band{
			Region: id,
			Steps:  steps,
			Mean:   make([]float64, len(steps)),
			Low:    make([]float64, len(steps)),
			High:   make([]float64, len(steps)),
		}
		for k := range steps {
			for j, run := range runs {
				vals[j] = run.Rows[k*n+r].AdoptionShare
			}
			st := describe(vals)
			b.Mean[k], b.Low[k], b.High[k] = st.Mean, st.CILow, st.CIHigh
		}
		bands[r] = b
	}
	return bands
}

// Series is a named sequence of values by step. It implements
// plotter.XYer with x the step.
type Series struct {
	Name   string
	Steps  []int
	Values []float64
}

// Len returns the number of steps.
func (s Series) Len() int { return len(s.Steps) }

// XY returns the step and the value at index i.
func (s Series) XY(i int) (x, y float64) { return float64(s.Steps[i]), s.Values[i] }

// Pipeline is the lab-to-market pipeline step by step: the breakthroughs
// discovered, commercialized and lost in each step, summed over regions and
// averaged over runs.
type Pipeline struct {
	Discovered, Commercialized, Lost Series
}

// MeanPipeline returns the pipeline of res over its non-nil runs (empty
// series when there are none).
func MeanPipeline(res *sim.Result) Pipeline {
	runs := SortedRuns(res.Runs)
	steps := stepsOf(res.Regions, runs)
	p := Pipeline{
		Discovered:     Series{Name: "discovered", Steps: steps, Values: make([]float64, len(steps))},
		Commercialized: Series{Name: "commercialized", Steps: steps, Values: make([]float64, len(steps))},
		Lost:           Series{Name: "lost", Steps: steps, Values: make([]float64, len(steps))},
	}
	n := len(res.Regions)
	for k := range steps {
		var d, c, l int
		for _, run := range runs {
			for _, row := range run.Rows[k*n : (k+1)*n] {
				d += row.Discovered
				c += row.Commercialized
				l += row.Lost
			}
		}
		m := float64(len(runs))
		p.Discovered.Values[k] = float64(d) / m
		p.Commercialized.Values[k] = float64(c) / m
		p.Lost.Values[k] = float64(l) / m
	}
	return p
}

// TransferGrid is the transfer matrix averaged over runs: Mean[o][d] is the
// mean number of innovations from region o commercialized by a firm in
// region d. It implements plotter.GridXYZ for a heat map with the
// commercializing region as column and the origin as row, the first origin
// at the top (row r of the grid is origin len(Regions)-1-r).
type TransferGrid struct {
	Regions []string
	Runs    int
	Mean    [][]float64
}

// Dims returns the number of columns and rows: one per region.
func (g TransferGrid) Dims() (c, r int) { return len(g.Regions), len(g.Regions) }

// Z returns the mean count of column c (commercializing region) and row r.
func (g TransferGrid) Z(c, r int) float64 { return g.Mean[len(g.Regions)-1-r][c] }

// X returns the coordinate of column c.
func (g TransferGrid) X(c int) float64 { return float64(c) }

// Y returns the coordinate of row r.
func (g TransferGrid) Y(r int) float64 { return float64(r) }

// MeanTransfer returns the transfer matrix of res averaged over its non-nil
// runs (NaN everywhere when there are none).
func MeanTransfer(res *sim.Result) TransferGrid {
	runs := SortedRuns(res.Runs)
	n := len(res.Regions)
	g := TransferGrid{Regions: res.Regions, Runs: len(runs), Mean: make([][]float64, n)}
	for o := range n {
		g.Mean[o] = make([]float64, n)
		for d := range n {
			t := 0
			for _, run := range runs {
				t += run.Transfer[o][d]
			}
			g.Mean[o][d] = float64(t) / float64(len(runs))
		}
	}
	return g
}

// stepsOf returns the steps of the runs' rows, checking that every run has
// the same layout: len(regions) rows per step, ordered by step and region.
// It returns nil when there are no runs and panics when the layouts differ.
func stepsOf(regions []string, runs []*sim.RunResult) []int {
	if len(runs) == 0 {
		return nil
	}
	n := len(regions)
	rows := runs[0].Rows
	steps := make([]int, len(rows)/n)
	for k := range steps {
		steps[k] = rows[k*n].Step
	}
	for _, run := range runs {
		if len(run.Rows) != len(steps)*n {
			panic(fmt.Sprintf("output: replicate %d has %d rows, want %d", run.Replicate, len(run.Rows), len(steps)*n))
		}
		for i, row := range run.Rows {
			if row.Step != steps[i/n] || row.Region != i%n {
				panic(fmt.Sprintf("output: replicate %d row %d is step %d region %d, want step %d region %d",
					run.Replicate, i, row.Step, row.Region, steps[i/n], i%n))
			}
		}
	}
	return steps
}

// DiffBands returns, for every region, the difference of the adoption
// share of b to that of a (the reference) step by step: b − a as the mean
// and its 95 % confidence interval. When the runs pair (the same seeds
// replicate by replicate, see Pairing) the interval is that of the paired
// differences; otherwise Welch's. It returns nil when a set has no
// finished run or the sets' steps differ.
func DiffBands(a, b RunSet) ([]Band, Pairing) {
	ra, rb := SortedRuns(a.Runs), SortedRuns(b.Runs)
	sa, sb := stepsOf(a.Regions, ra), stepsOf(b.Regions, rb)
	pr := Pairing{}
	if len(ra) > 0 && len(rb) > 0 {
		pr = pairing(ra, rb)
	}
	if sa == nil || sb == nil || len(sa) != len(sb) {
		return nil, pr
	}
	n := len(a.Regions)
	bands := make([]Band, n)
	va, vb := make([]float64, len(ra)), make([]float64, len(rb))
	for r, id := range a.Regions {
		band := Band{Region: id, Steps: sa, Mean: make([]float64, len(sa)), Low: make([]float64, len(sa)), High: make([]float64, len(sa))}
		for k := range sa {
			for j, run := range ra {
				va[j] = run.Rows[k*n+r].AdoptionShare
			}
			for j, run := range rb {
				vb[j] = run.Rows[k*n+r].AdoptionShare
			}
			var d Difference
			if pr.Paired {
				d = pairedDiff(va, vb)
			} else {
				d = welch(describe(va), describe(vb))
			}
			band.Mean[k], band.Low[k], band.High[k] = d.Mean, d.CILow, d.CIHigh
		}
		bands[r] = band
	}
	return bands, pr
}
