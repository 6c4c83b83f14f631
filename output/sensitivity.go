package output

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/triad-sim/triad/internal/portable"
)

// Estimate is a sensitivity index with its 95 % bootstrap interval
// (percentile method). The bounds are NaN when the index has no spread to
// resample (fewer than two trajectories or rows).
type Estimate struct {
	Value, CILow, CIHigh float64
}

// Bootstrap says how sensitivity indices are resampled for their
// intervals: Resamples draws, from a generator seeded by Seed so that the
// same inputs always give the same intervals, each of whole trajectories
// (Morris) or rows (Sobol) with replacement and, when the points have
// several replications, of the replications with replacement (the same
// replicate numbers at every point, since replicate r of every point
// shares its seed).
type Bootstrap struct {
	Resamples int
	Seed      uint64
}

// DefaultResamples is the number of bootstrap resamples behind a
// sensitivity index's interval.
const DefaultResamples = 1000

// Replicated returns outputs of one replicate per point, y[j] at point j,
// in the form Morris and Sobol take.
func Replicated(y []float64) [][]float64 {
	out := make([][]float64, len(y))
	for j, v := range y {
		out[j] = []float64{v}
	}
	return out
}

// pointMeans returns the mean of every point's finite replicate values
// (reps[j][r] is replicate r of point j) over the replications numbered in
// pick, or over all of them when pick is nil. A point none of whose picked
// replications has a value takes its mean over all of them (full), or NaN
// when full is nil.
func pointMeans(reps [][]float64, pick []int, full []float64) []float64 {
	y := make([]float64, len(reps))
	var v []float64
	for j, rs := range reps {
		v = v[:0]
		if pick == nil {
			v = append(v, rs...)
		} else {
			for _, r := range pick {
				if r < len(rs) {
					v = append(v, rs[r])
				}
			}
		}
		v = finiteInPlace(v)
		switch {
		case len(v) > 0:
			y[j] = portable.Mean(v)
		case full != nil:
			y[j] = full[j]
		default:
			y[j] = math.NaN()
		}
	}
	return y
}

// finiteInPlace drops the NaN and infinite values of v, in place.
func finiteInPlace(v []float64) []float64 {
	out := v[:0]
	for _, x := range v {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			out = append(out, x)
		}
	}
	return out
}

// maxReplicates returns the largest number of replications of a point.
func maxReplicates(reps [][]float64) int {
	m := 0
	for _, rs := range reps {
		m = max(m, len(rs))
	}
	return m
}

// MorrisIndex holds the elementary-effect statistics of one parameter
// (Morris 1991; μ* from Campolongo, Cariboni and Saltelli 2007): Mu is the
// mean of its elementary effects, MuStar the mean of their absolute values
// (how much the parameter matters) and Sigma their standard deviation
// (how much its effect depends on where the others are: interactions or
// curvature). An elementary effect is the change of the output over a
// step of the parameter divided by the step as a share of the
// parameter's range, so all three are in the output's units per whole
// range and compare across parameters.
type MorrisIndex struct {
	Param             int
	Mu, MuStar, Sigma Estimate
}

// Morris computes the Morris indices of k parameters from a trajectory
// design: x[j] are the parameters of point j scaled to [0, 1] of their
// ranges, reps[j] the replicate outputs there (the indices are of their
// mean; see Replicated for one output a point), moves[j] the parameter
// that changed from the reference point (-1 where a trajectory starts, as
// sim.Config.MorrisMoves): point j-1, or with radial the trajectory's
// first point.
// Steps along which the parameter did not move (a whole-number parameter
// rounded to the same value) are left out. The intervals resample whole
// trajectories and the replications (see Bootstrap), so that they hold the
// replications' noise as well as the design's. It panics if the lengths
// differ.
func Morris(x [][]float64, reps [][]float64, moves []int, k int, radial bool, b Bootstrap) []MorrisIndex {
	if len(x) != len(reps) || len(reps) != len(moves) {
		panic("output: Morris needs one x, output and move per point")
	}
	// effects returns ee[t][i], the elementary effects of parameter i in
	// trajectory t, of the outputs y.
	effects := func(y []float64) [][][]float64 {
		var ee [][][]float64
		start := 0
		for j, m := range moves {
			if m < 0 {
				ee = append(ee, make([][]float64, k))
				start = j
				continue
			}
			if len(ee) == 0 {
				panic("output: a Morris design must start a trajectory at its first point")
			}
			ref := j - 1
			if radial {
				ref = start
			}
			dx := x[j][m] - x[ref][m]
			if dx == 0 {
				continue
			}
			t := ee[len(ee)-1]
			t[m] = append(t[m], (y[j]-y[ref])/dx)
		}
		return ee
	}
	stats := func(ee [][][]float64, tr []int, i int) (mu, muStar, sigma float64) {
		var e []float64
		for _, t := range tr {
			e = append(e, ee[t][i]...)
		}
		if len(e) == 0 {
			return math.NaN(), math.NaN(), math.NaN()
		}
		abs := make([]float64, len(e))
		for n, v := range e {
			abs[n] = math.Abs(v)
		}
		mu = portable.Mean(e)
		muStar = portable.Mean(abs)
		sigma = 0
		if len(e) > 1 {
			_, sigma = portable.MeanStdDev(e, nil)
		}
		return mu, muStar, sigma
	}
	y := pointMeans(reps, nil, nil)
	ee := effects(y)
	all := make([]int, len(ee))
	for t := range all {
		all[t] = t
	}
	out := make([]MorrisIndex, k)
	for i := range k {
		mu, ms, sd := stats(ee, all, i)
		out[i] = MorrisIndex{Param: i, Mu: Estimate{Value: mu}, MuStar: Estimate{Value: ms}, Sigma: Estimate{Value: sd}}
	}
	boot := resample(len(ee), maxReplicates(reps), b, 3*k, func(tr, pick []int, into []float64) {
		e := ee
		if pick != nil {
			e = effects(pointMeans(reps, pick, y))
		}
		for i := range k {
			into[3*i], into[3*i+1], into[3*i+2] = stats(e, tr, i)
		}
	})
	for i := range k {
		out[i].Mu.CILow, out[i].Mu.CIHigh = boot(3 * i)
		out[i].MuStar.CILow, out[i].MuStar.CIHigh = boot(3*i + 1)
		out[i].Sigma.CILow, out[i].Sigma.CIHigh = boot(3*i + 2)
	}
	return out
}

// SobolIndex holds the first-order index S1 of one parameter (the share
// of the output's variance it explains alone) and its total index ST (the
// share it explains with all its interactions).
type SobolIndex struct {
	Param  int
	S1, ST Estimate
}

// Sobol computes first-order and total Sobol indices of k parameters from
// a Saltelli design (as sim's sobol design): reps holds rows of k+2
// points, each point's replicate outputs (the indices are of their mean;
// see Replicated for one output a point), at A_j, B_j, A_B(1)_j, ...,
// A_B(k)_j. With f the mean output, S1 is the estimator of Saltelli et
// al. (2010) on centred outputs,
// mean((f(B) − f₀)·(f(A_B(i)) − f(A))) / V with f₀ the mean of f(A) and
// f(B) together, and ST Jansen's (1999), mean((f(A) − f(A_B(i)))²) / 2V,
// with V the variance of f(A) and f(B) together. Both are then unchanged
// when a constant is added to the outputs; uncentred, S1's spread grows
// with the outputs' mean (a share of adoption near 0.3 widened its
// interval several times over). The intervals resample whole rows and the
// replications (see Bootstrap), so that they hold the replications' noise as
// well as the design's. It panics if reps is not a whole number of rows.
func Sobol(reps [][]float64, k int, b Bootstrap) []SobolIndex {
	w := k + 2
	if len(reps)%w != 0 {
		panic("output: Sobol needs rows of k+2 outputs")
	}
	n := len(reps) / w
	indices := func(y []float64, rows []int, into []float64) {
		ab := make([]float64, 0, 2*len(rows))
		for _, r := range rows {
			ab = append(ab, y[r*w], y[r*w+1])
		}
		f0, v := portable.MeanVariance(ab, nil)
		s1 := make([]float64, len(rows))
		st := make([]float64, len(rows))
		for i := range k {
			for n, r := range rows {
				fa, fb, fab := y[r*w], y[r*w+1], y[r*w+2+i]
				s1[n] = (fb - f0) * (fab - fa)
				st[n] = (fa - fab) * (fa - fab) / 2
			}
			into[2*i] = portable.Mean(s1) / v
			into[2*i+1] = portable.Mean(st) / v
		}
	}
	y := pointMeans(reps, nil, nil)
	all := make([]int, n)
	for r := range all {
		all[r] = r
	}
	point := make([]float64, 2*k)
	indices(y, all, point)
	boot := resample(n, maxReplicates(reps), b, 2*k, func(rows, pick []int, into []float64) {
		yb := y
		if pick != nil {
			yb = pointMeans(reps, pick, y)
		}
		indices(yb, rows, into)
	})
	out := make([]SobolIndex, k)
	for i := range k {
		out[i] = SobolIndex{Param: i, S1: Estimate{Value: point[2*i]}, ST: Estimate{Value: point[2*i+1]}}
		out[i].S1.CILow, out[i].S1.CIHigh = boot(2 * i)
		out[i].ST.CILow, out[i].ST.CIHigh = boot(2*i + 1)
	}
	return out
}

// resample draws b.Resamples bootstrap samples, each of n units (rows or
// trajectories) and, when reps > 1, of reps replicate numbers, both with
// replacement; computes m statistics of each with f (pick nil when
// reps ≤ 1: every replicate); and returns a function that gives the
// 2.5 % and 97.5 % quantiles of statistic s over the resamples (NaN, NaN
// when n < 2 or b.Resamples < 2). Non-finite values of a resample are
// left out. A resample of the replications repeats some, so its points'
// means carry a little more of the runs' own noise than the estimate's;
// on test models with replicate noise (sensitivity_noise_test.go) the
// intervals still cover the reference at about their 95 %.
func resample(n, reps int, b Bootstrap, m int, f func(units, pick []int, into []float64)) func(s int) (float64, float64) {
	nan := func(int) (float64, float64) { return math.NaN(), math.NaN() }
	if n < 2 || b.Resamples < 2 {
		return nan
	}
	r := rand.New(rand.NewPCG(b.Seed, 0x5e5a11e11))
	vals := make([][]float64, m)
	idx := make([]int, n)
	var pick []int
	if reps > 1 {
		pick = make([]int, reps)
	}
	into := make([]float64, m)
	for range b.Resamples {
		for i := range idx {
			idx[i] = r.IntN(n)
		}
		for i := range pick {
			pick[i] = r.IntN(reps)
		}
		f(idx, pick, into)
		for s, v := range into {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				vals[s] = append(vals[s], v)
			}
		}
	}
	for s := range vals {
		slices.Sort(vals[s])
	}
	return func(s int) (float64, float64) {
		if len(vals[s]) < 2 {
			return math.NaN(), math.NaN()
		}
		return portable.Quantile(0.025, vals[s], nil), portable.Quantile(0.975, vals[s], nil)
	}
}

// NoiseShare returns how much of the spread of a design's outputs is the
// noise of the replications rather than the parameters: the mean over points
// of the variance of a point's replicate mean (its replications' variance
// over their number) divided by the variance of the point means. reps[j]
// are the replicate values of point j (NaN values left out). It is NaN
// when no point has two replications or the point means do not vary, and at
// most 1. With common random numbers the noise in a difference between
// points is smaller still, so this is an upper bound on what the noise
// adds to an index.
func NoiseShare(reps [][]float64) float64 {
	var means, noise []float64
	for _, rs := range reps {
		v := finiteValues(rs)
		if len(v) == 0 {
			continue
		}
		means = append(means, portable.Mean(v))
		if len(v) > 1 {
			noise = append(noise, portable.Variance(v)/float64(len(v)))
		}
	}
	if len(noise) == 0 || len(means) < 2 {
		return math.NaN()
	}
	total := portable.Variance(means)
	if total == 0 {
		return math.NaN()
	}
	return math.Min(1, portable.Mean(noise)/total)
}

// finiteValues returns the values of xs that are not NaN or infinite.
func finiteValues(xs []float64) []float64 {
	out := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			out = append(out, x)
		}
	}
	return out
}
