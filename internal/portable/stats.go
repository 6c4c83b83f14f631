package portable

import (
	"math"
	"slices"
)

// Sum returns the sum of x, added from the first value to the last.
func Sum(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}

// Mean returns the mean of x, Sum(x) / len(x); NaN when x is empty.
func Mean(x []float64) float64 {
	return Sum(x) / float64(len(x))
}

// MeanVariance returns the mean of x and its unbiased variance. weights,
// when not nil, are frequency weights, one per value: the mean is
// Σ wᵢxᵢ / Σ wᵢ and the variance Σ wᵢ(xᵢ − mean)² / (Σ wᵢ − 1), as
// gonum's stat.MeanVariance defines them. The variance is computed by the
// corrected two-pass algorithm (Chan, Golub and LeVeque 1983, eq. 1.7), as
// gonum's is; it is NaN for a single value (or weights that sum to 1).
func MeanVariance(x, weights []float64) (mean, variance float64) {
	if weights == nil {
		mean = Mean(x)
		ss, comp := 0.0, 0.0
		for _, v := range x {
			d := v - mean
			ss += float64(d * d)
			comp += d
		}
		n := float64(len(x))
		return mean, (ss - comp*comp/n) / (n - 1)
	}
	if len(x) != len(weights) {
		panic("portable: values and weights of different lengths")
	}
	sv, sw := 0.0, 0.0
	for i, w := range weights {
		sv += float64(w * x[i])
		sw += w
	}
	mean = sv / sw
	ss, comp := 0.0, 0.0
	for i, w := range weights {
		d := x[i] - mean
		wd := float64(w * d)
		ss += float64(wd * d)
		comp += wd
	}
	return mean, (ss - comp*comp/sw) / (sw - 1)
}

// Variance returns the unbiased variance of x, MeanVariance's.
func Variance(x []float64) float64 {
	_, v := MeanVariance(x, nil)
	return v
}

// MeanStdDev returns the mean of x and its unbiased standard deviation,
// the square root of MeanVariance's variance.
func MeanStdDev(x, weights []float64) (mean, sd float64) {
	mean, v := MeanVariance(x, weights)
	return mean, math.Sqrt(v)
}

// Quantile returns the empirical p-quantile of x, which must be sorted in
// increasing order: the first value at which the cumulative weight reaches
// p times the total (weights nil means one per value), as gonum's
// stat.Quantile with stat.Empirical defines it. It is NaN when x holds a
// NaN, and panics on an empty x, unsorted values or p outside [0, 1].
func Quantile(p float64, x, weights []float64) float64 {
	switch {
	case !(p >= 0 && p <= 1):
		panic("portable: quantile outside [0, 1]")
	case len(x) == 0:
		panic("portable: quantile of no values")
	case weights != nil && len(weights) != len(x):
		panic("portable: values and weights of different lengths")
	case slices.ContainsFunc(x, math.IsNaN):
		return math.NaN()
	case !slices.IsSorted(x):
		panic("portable: quantile of unsorted values")
	}
	total := float64(len(x))
	if weights != nil {
		total = Sum(weights)
	}
	at := p * total
	cum := 0.0
	for i := range x {
		if weights == nil {
			cum++
		} else {
			cum += weights[i]
		}
		if cum >= at {
			return x[i]
		}
	}
	// Only negative weights keep the cumulative weight, which ends at
	// total, below p × total to the end.
	return x[len(x)-1]
}
