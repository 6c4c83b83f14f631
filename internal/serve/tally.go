package serve

import (
	"cmp"
	"math"
	"slices"

	"github.com/triad-sim/triad/internal/portable"
	"github.com/triad-sim/triad/sim"
)

// tally gathers what the page's partial results need of a run in
// progress, so that the runs themselves are not kept. Step by step, from
// every run as it computes (see Progress.Step): the running mean and
// variance of the adoption share by step and region over the runs that
// have reached the step, the sums of the pipeline, and the sums of the
// cities' adoption shares (Progress.Cities). Run by run, as they finish:
// the transfer matrix and every run slimmed to its figures. A run whose
// steps were not watched is counted step by step when it finishes.
type tally struct {
	// sweep says the runs are a batch's: its points' curves are not
	// drawn (they would mix), only its figures by point.
	sweep           bool
	regions, cities int
	steps           []int // 0 … Steps-1
	// count, mean and m2 hold, for step k and region r at k*regions+r,
	// the runs with a share there (a NaN is left out, as output leaves it
	// out), their mean share and the sum of squared deviations from it
	// (Welford's method).
	count            []int
	mean, m2         []float64
	reached          []int // by step: the runs that have computed it
	disc, comm, lost []int // by step, summed over regions and runs
	// citySum and cityN hold, for step k and city c at k*cities+c, the
	// sum of the city's shares over the runs and their number.
	citySum  []float64
	cityN    []int
	watched  map[sim.Task]bool // runs whose steps were counted as computed
	transfer [][]int
	runs     []*sim.RunResult // slim, in replicate order
}

func newTally(cfg *sim.Config) *tally {
	n, k := len(cfg.Regions), cfg.Steps
	cities := 0
	for _, r := range cfg.Regions {
		cities += len(r.Cities)
	}
	t := &tally{
		sweep:   cfg.Sweep != nil,
		regions: n, cities: cities, steps: make([]int, k),
		count: make([]int, k*n), mean: make([]float64, k*n), m2: make([]float64, k*n),
		reached: make([]int, k), disc: make([]int, k), comm: make([]int, k), lost: make([]int, k),
		citySum: make([]float64, k*cities), cityN: make([]int, k*cities),
		watched: map[sim.Task]bool{}, transfer: make([][]int, n),
	}
	for i := range t.steps {
		t.steps[i] = i
	}
	for o := range n {
		t.transfer[o] = make([]int, n)
	}
	return t
}

// step counts the rows of one step of a run. It panics when the rows are
// not one per region of a step of the scenario.
func (t *tally) step(task sim.Task, step int, rows []sim.Row) {
	if len(rows) != t.regions || step < 0 || step >= len(t.steps) {
		panic("serve: a step's rows do not fit the scenario")
	}
	t.watched[task] = true
	t.reached[step]++
	for r, row := range rows {
		t.disc[step] += row.Discovered
		t.comm[step] += row.Commercialized
		t.lost[step] += row.Lost
		if x := row.AdoptionShare; !math.IsNaN(x) {
			i := step*t.regions + r
			t.count[i]++
			d := x - t.mean[i]
			t.mean[i] += d / float64(t.count[i])
			t.m2[i] += float64(d * (x - t.mean[i]))
		}
	}
}

// citiesAt counts the city shares of one step of a run.
func (t *tally) citiesAt(step int, shares []float64) {
	if len(shares) != t.cities || step < 0 || step >= len(t.steps) {
		panic("serve: a step's city shares do not fit the scenario")
	}
	for c, x := range shares {
		if !math.IsNaN(x) {
			t.citySum[step*t.cities+c] += x
			t.cityN[step*t.cities+c]++
		}
	}
}

// add counts run, a finished run of the tally's scenario: its steps too
// when they were not watched.
func (t *tally) add(run *sim.RunResult) {
	n := t.regions
	task := sim.Task{Point: run.Point, Replicate: run.Replicate}
	if !t.sweep && !t.watched[task] {
		if len(run.Rows) != len(t.steps)*n {
			panic("serve: a run's rows do not fit the scenario")
		}
		for k := range t.steps {
			t.step(task, k, run.Rows[k*n:(k+1)*n])
		}
	}
	for o, row := range run.Transfer {
		for d, c := range row {
			t.transfer[o][d] += c
		}
	}
	s := slim(run, n)
	i, _ := slices.BinarySearchFunc(t.runs, s, func(a, b *sim.RunResult) int {
		return cmp.Or(cmp.Compare(a.Point, b.Point), cmp.Compare(a.Replicate, b.Replicate))
	})
	t.runs = slices.Insert(t.runs, i, s)
}

// snapshot returns a copy of t that later counts leave unchanged (the
// steps and the slim runs are shared: they never change; the watched set
// is not copied).
func (t *tally) snapshot() *tally {
	c := *t
	c.count, c.mean, c.m2 = slices.Clone(t.count), slices.Clone(t.mean), slices.Clone(t.m2)
	c.reached = slices.Clone(t.reached)
	c.disc, c.comm, c.lost = slices.Clone(t.disc), slices.Clone(t.comm), slices.Clone(t.lost)
	c.citySum, c.cityN = slices.Clone(t.citySum), slices.Clone(t.cityN)
	c.watched = nil
	c.transfer = make([][]int, len(t.transfer))
	for o, row := range t.transfer {
		c.transfer[o] = slices.Clone(row)
	}
	c.runs = slices.Clone(t.runs)
	return &c
}

// view returns the partial results: the curves and the pipeline over the
// runs that have reached each step (those finished and those going on),
// null beyond the furthest step any run has reached; the tables and the
// transfer matrix over the runs finished. It is nil before the first
// step. The tables are output's over the slim runs, as the final ones;
// the curves' means and intervals are those of output.Bands up to
// rounding, the order of the sums differing.
func (t *tally) view(cfg *sim.Config) *resultView {
	if t.sweep {
		if b := newBatchView(cfg, t.runs); b != nil {
			return &resultView{Batch: b}
		}
		return nil
	}
	if t.reached[0] == 0 {
		return nil
	}
	runs := len(t.runs)
	v := &resultView{}
	if runs > 0 {
		v.setTables(&sim.Result{Config: *cfg, Regions: cfg.RegionIDs(), Runs: t.runs})
	}
	n := t.regions
	v.Bands = &bandsView{Runs: runs, Steps: t.steps, Reached: slices.Clone(t.reached)}
	tq := map[int]float64{} // the t quantile by number of runs
	for r, id := range cfg.RegionIDs() {
		b := bandView{Region: id, Mean: make([]num, len(t.steps)), Low: make([]num, len(t.steps)), High: make([]num, len(t.steps))}
		for k := range t.steps {
			i := k*n + r
			c := t.count[i]
			mean, low, high := math.NaN(), math.NaN(), math.NaN()
			if c > 0 {
				mean = t.mean[i]
			}
			if c > 1 {
				q, ok := tq[c]
				if !ok {
					q = portable.StudentsTQuantile(0.975, float64(c-1))
					tq[c] = q
				}
				h := q * math.Sqrt(t.m2[i]/float64(c-1)) / math.Sqrt(float64(c))
				low, high = mean-h, mean+h
			}
			b.Mean[k], b.Low[k], b.High[k] = num(mean), num(low), num(high)
		}
		v.Bands.Regions = append(v.Bands.Regions, b)
	}
	perStep := func(xs []int) []num {
		out := make([]num, len(xs))
		for k, x := range xs {
			out[k] = num(math.NaN())
			if t.reached[k] > 0 {
				out[k] = num(float64(x) / float64(t.reached[k]))
			}
		}
		return out
	}
	v.Pipeline.Steps = t.steps
	v.Pipeline.Discovered, v.Pipeline.Commercialized, v.Pipeline.Lost = perStep(t.disc), perStep(t.comm), perStep(t.lost)
	v.Transfer.Regions = cfg.RegionIDs()
	for _, row := range t.transfer {
		out := make([]num, len(row))
		for d, x := range row {
			out[d] = num(float64(x) / float64(max(1, runs)))
		}
		v.Transfer.Mean = append(v.Transfer.Mean, out)
	}
	return v
}

// citiesView returns the mean adoption share of each city over the runs
// at up to maxFrames steps (those of flows), nil when no run's cities
// were watched.
func (t *tally) citiesView(cfg *sim.Config) *citiesView {
	if t.cities == 0 || !slices.ContainsFunc(t.cityN, func(n int) bool { return n > 0 }) {
		return nil
	}
	v := &citiesView{Steps: frameSteps(cfg.Steps)}
	for _, k := range v.Steps {
		row := make([]num, t.cities)
		for c := range row {
			i := k*t.cities + c
			row[c] = num(math.NaN())
			if t.cityN[i] > 0 {
				row[c] = num(t.citySum[i] / float64(t.cityN[i]))
			}
		}
		v.Shares = append(v.Shares, row)
	}
	return v
}

// citiesView is the city view's data: Shares[k][c] is city c's mean
// adoption share at step Steps[k], cities numbered across the regions in
// order (as the scenario's regions list them).
type citiesView struct {
	Steps  []int   `json:"steps"`
	Shares [][]num `json:"shares"`
}
