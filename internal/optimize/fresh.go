package optimize

import (
	"context"
	"math"
	"slices"

	"github.com/triad-sim/triad/internal/portable"
)

// estimate is the mean of xs with its 95 % t interval (NaN bounds for
// fewer than two values, NaN throughout if one is NaN).
func estimate(xs []float64) Estimate {
	e := Estimate{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), N: len(xs)}
	if len(xs) == 0 {
		return e
	}
	mean, variance := portable.MeanVariance(xs, nil)
	e.Mean = mean
	if len(xs) < 2 || math.IsNaN(mean) {
		return e
	}
	half := float64(portable.StudentsTQuantile(0.975, float64(len(xs)-1)) * math.Sqrt(variance/float64(len(xs))))
	e.Lo, e.Hi = mean-half, mean+half
	return e
}

// column is objective o's figures of figs.
func column(figs [][]float64, o int) []float64 {
	col := make([]float64, len(figs))
	for k, f := range figs {
		col[k] = f[o]
	}
	return col
}

// Estimate is candidate c's estimate of objective o over all its search
// replications.
func (c *Candidate) Estimate(o int) Estimate { return estimate(column(c.Figures, o)) }

// honest re-runs the best, the top and the front on the fresh replications
// with the baseline, and measures the winner's curse.
func honest(ctx context.Context, r *runner, res *Result) error {
	s := res.Settings
	ids := slices.Clone(res.Top)
	for _, id := range res.Front {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	allocs := []Allocation{Baseline(s.Levers)}
	reps := [][]int{upTo(FreshOffset, s.Fresh)}
	for _, id := range ids {
		allocs = append(allocs, res.Candidates[id].Alloc)
		reps = append(reps, upTo(FreshOffset, s.Fresh))
	}
	before := r.runs
	figs, err := r.figures(ctx, allocs, reps)
	if err != nil {
		return err
	}
	r.runs = before // the re-run is not the search's
	res.FreshBaseline = figs[0]
	for i, id := range ids {
		f := Fresh{ID: id, Figures: figs[i+1]}
		for o := range s.Signs {
			f.Value = append(f.Value, estimate(column(f.Figures, o)))
			f.Effect = append(f.Effect, estimate(differences(f.Figures, res.FreshBaseline, o)))
		}
		res.Fresh = append(res.Fresh, f)
	}
	best := res.Fresh[0].Effect[0]
	for i := range res.Fresh {
		e := res.Fresh[i].Effect[0]
		res.Fresh[i].EquallyGood = i > 0 && e.Lo <= best.Hi && best.Lo <= e.Hi
	}
	// The winner's curse: the search's improvement less the fresh one,
	// improvement being the effect in the objective's good direction.
	search := portable.Mean(differences(res.Candidates[res.Best].Figures, res.SearchBaseline, 0))
	res.Curse = float64(-s.Signs[0]*search) - float64(-s.Signs[0]*best.Mean)
	return nil
}

// differences is a's figures of objective o less b's, run by run.
func differences(a, b [][]float64, o int) []float64 {
	d := make([]float64, len(a))
	for k := range a {
		d[k] = a[k][o] - b[k][o]
	}
	return d
}
