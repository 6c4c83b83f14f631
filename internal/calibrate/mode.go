package calibrate

import (
	"math"

	"github.com/triad-sim/triad/internal/portable"
)

// Densest returns the index of the particle of the last generation where
// the posterior is densest: the weighted kernel density estimate of the
// population (Gaussian kernels, one bandwidth per parameter by Scott's
// rule, h_j = sd_j · ESS^(−1/(d+4))) is evaluated at every particle and the
// largest wins, the first on a tie. Unlike the posterior mean, it is a
// point the fit accepted, and on a ridge-shaped posterior (parameters that
// trade off against each other) it lies on the ridge, where the mean may
// lie off it.
func (r *Result) Densest() int {
	pop := r.Particles
	if len(pop) == 0 {
		return -1
	}
	dim := len(pop[0].Theta)
	h := make([]float64, dim)
	w := make([]float64, len(pop))
	for i, q := range pop {
		w[i] = q.Weight * float64(len(pop)) // frequency weights, as portable.MeanStdDev reads them (see summarize)
	}
	scott := portable.Exp(float64(-portable.Log(ess(pop))) / float64(dim+4)) // ESS^(−1/(d+4)), the same bits everywhere
	x := make([]float64, len(pop))
	for j := range dim {
		for i, q := range pop {
			x[i] = q.Theta[j]
		}
		_, sd := portable.MeanStdDev(x, w)
		h[j] = float64(sd * scott)
	}
	best, bestD := -1, math.Inf(-1)
	for i, a := range pop {
		var d float64
		for _, b := range pop {
			var e float64
			for j := range dim {
				if !(h[j] > 0) || math.IsInf(h[j], 1) {
					continue // a parameter all particles share
				}
				z := (a.Theta[j] - b.Theta[j]) / h[j]
				e += float64(z * z)
			}
			d += float64(b.Weight * portable.Exp(-e/2))
		}
		if d > bestD || best < 0 {
			best, bestD = i, d
		}
	}
	return best
}

// Identifiability is the posterior's standard deviation of each parameter
// over its prior's ((Hi − Lo)/√12 for a uniform prior): near 1 the targets
// say little about the parameter, near 0 they pin it down.
func (r *Result) Identifiability(params []Param) []float64 {
	out := make([]float64, len(params))
	for j, p := range params {
		out[j] = r.Params[j].SD / ((p.Hi - p.Lo) / math.Sqrt(12))
	}
	return out
}
