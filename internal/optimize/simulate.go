package optimize

import (
	"context"
	"math"
	"strconv"
	"sync"

	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// SimEvaluator evaluates allocations by running the model: the scenario
// with each lever's paths set to the value its share of the budget buys,
// replicate r on the seed of the scenario's replicate r.
type SimEvaluator struct {
	Config     sim.Config
	Levers     scenarios.Levers
	Objectives []scenarios.Objective
	// Workers is how many runs go at once; it never changes the figures.
	Workers int
}

// Spend is what allocation a puts on lever i: its share of the budget.
func Spend(lv *scenarios.Levers, a Allocation, i int) float64 {
	return float64(*lv.Budget*float64(a.Units[i])) / float64(max(a.Grid, 1))
}

// ConfigFor is the scenario with allocation a's values set, and whether
// the scenario accepts them.
func ConfigFor(cfg sim.Config, lv *scenarios.Levers, a Allocation) (sim.Config, bool) {
	c := cfg.AtPoint(sim.Point{})
	for i, l := range lv.Levers {
		v := strconv.FormatFloat(l.Value(Spend(lv, a, i)), 'g', -1, 64)
		for _, p := range l.Paths() {
			if c.Set(p, v) != nil {
				return c, false
			}
		}
	}
	return c, c.Validate() == nil
}

// Evaluate runs every job's replications, Workers at a time, each run on
// one goroutine; the figures are stored by place, so they do not depend
// on Workers.
func (e *SimEvaluator) Evaluate(ctx context.Context, jobs []Job) ([][][]float64, error) {
	type item struct{ j, k int }
	configs := make([]sim.Config, len(jobs))
	valid := make([]bool, len(jobs))
	out := make([][][]float64, len(jobs))
	var items []item
	for j, job := range jobs {
		configs[j], valid[j] = ConfigFor(e.Config, &e.Levers, job.Alloc)
		out[j] = make([][]float64, len(job.Replicates))
		for k := range job.Replicates {
			if !valid[j] {
				out[j][k] = nan(len(e.Objectives))
				continue
			}
			items = append(items, item{j, k})
		}
	}
	next := make(chan item)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range max(1, min(e.Workers, len(items))) {
		wg.Go(func() {
			for it := range next {
				c := &configs[it.j]
				runs, err := sim.RunTasks(ctx, *c, []sim.Task{{Replicate: jobs[it.j].Replicates[it.k]}}, sim.Options{Workers: 1})
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				figs := make([]float64, len(e.Objectives))
				for o, obj := range e.Objectives {
					figs[o] = obj.Figure(c, runs[0])
				}
				out[it.j][it.k] = figs
			}
		})
	}
	for _, it := range items {
		if ctx.Err() != nil {
			break
		}
		next <- it
	}
	close(next)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

func nan(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}
