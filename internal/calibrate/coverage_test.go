package calibrate

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/triad-sim/triad/internal/portable"
)

// interval returns the weighted 5 % and 95 % quantiles of parameter j of
// a population: its 90 % posterior interval.
func interval(pop []Particle, j int) (lo, hi float64) {
	type pair struct{ x, w float64 }
	ps := make([]pair, len(pop))
	for i, q := range pop {
		ps[i] = pair{q.Theta[j], q.Weight}
	}
	slices.SortFunc(ps, func(a, b pair) int { return cmp.Compare(a.x, b.x) })
	x, w := make([]float64, len(ps)), make([]float64, len(ps))
	for i, p := range ps {
		x[i], w[i] = p.x, p.w
	}
	return portable.Quantile(0.05, x, w), portable.Quantile(0.95, x, w)
}

// TestCoverageOfKnownTruths measures coverage on a model whose answer is
// known: 60 data sets, each a true mean drawn uniformly from [−3, 3] and
// an observation of it with a Gaussian error of sd 0.5, are fitted
// (uniform prior on [−5, 5], the error model of Problem.Noise, 200
// particles, 6 generations), and the true mean must lie inside the 90 %
// posterior interval about 9 times in 10. Exact posteriors would cover it
// a Binomial(60, 0.9) number of times (mean 54, sd 2.3); ABC's tolerance
// widens the intervals, so coverage errs high. The test asks for at least
// 47 (three sd below the mean: a false alarm about once in 500 runs of
// exact intervals, fewer with wider ones) and intervals on average no more
// than 1.5 times as wide as the exact one, 2 × 1.645 × 0.5, so that
// coverage is not bought with uselessly wide intervals.
func TestCoverageOfKnownTruths(t *testing.T) {
	if testing.Short() {
		t.Skip("fits 60 data sets; make test runs it")
	}
	const sets, sd = 60, 0.5
	rng := rand.New(rand.NewPCG(2026, 27))
	covered, width := 0, 0.0
	for k := range sets {
		truth := -3 + 6*rng.Float64()
		obs := truth + sd*rng.NormFloat64()
		p := Problem{Params: []Param{{"mean", -5, 5}}, Observed: []float64{obs}, Scale: []float64{sd}, Noise: true, Simulate: identity}
		res, err := Fit(context.Background(), p, Settings{Particles: 200, Generations: 6, Seed: uint64(k + 1), Workers: 2}, nil)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := interval(res.Particles, 0)
		if lo <= truth && truth <= hi {
			covered++
		}
		width += hi - lo
	}
	exact := 2 * 1.6448536269514722 * sd
	t.Logf("90 %% intervals covered the truth in %d of %d data sets; mean width %.3f, exact %.3f", covered, sets, width/sets, exact)
	if covered < 47 {
		t.Errorf("the 90 %% intervals covered the truth in %d of %d data sets, want at least 47", covered, sets)
	}
	if w := width / sets; w > 1.5*exact || math.IsNaN(w) {
		t.Errorf("the 90 %% intervals are %.3f wide on average, more than 1.5 times the exact %.3f", w, exact)
	}
}
