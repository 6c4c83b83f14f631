package sim

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestBass checks the well-mixed pure-diffusion case against the discrete
// Bass recurrence F[t+1] = F[t] + (1 - F[t]) (p + q F[t]). With a single
// region, capability 1 and no friction, each step's expected adoptions
// given the share F follow it exactly (the k fresh contacts make S/k an
// unbiased estimate of F, and the adoption chance is linear in S).
//
// The recurrence is still an approximation for a finite population: the
// mean of (1 − F)(p + qF) over the runs falls short of its value at the
// mean F by q·Var(F), and the shortfall adds up over the steps. It shrinks
// as 1/N while the standard error of the mean over R replications shrinks as
// 1/√(N·R). Measured with these p, q and f0 and 40 replications (the largest
// gap over 40 steps): 3.4 standard errors at 200 firms, 2.3 at 1,000, and
// within the noise (1.4–1.6, the largest of 40 steps of pure noise) from
// 5,000 firms on. The test uses 100,000. The tolerance is 3 standard
// errors of the mean over replications, floored at 0.002 for the early steps
// where the spread is tiny.
func TestBass(t *testing.T) {
	const (
		firms, steps, reps = 100_000, 40, 20
		p, q, f0           = 0.003, 0.35, 0.01
	)
	if testing.Short() {
		t.Skip("the Bass validation runs 20 × 100,000 firms")
	}
	cfg := mustValid(t, bassConfig(firms, steps, reps, p, q, f0))
	res, err := Run(context.Background(), cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := f0
	worst, worstStep := 0.0, 0
	for step := range steps {
		f = f + (1-f)*(p+q*f)
		xs := make([]float64, reps)
		for r, run := range res.Runs {
			xs[r] = run.Rows[step].AdoptionShare
		}
		mean, sd := stat.MeanStdDev(xs, nil)
		se := sd / math.Sqrt(reps)
		tol := math.Max(3*se, 0.002)
		dev := math.Abs(mean - f)
		if dev/tol > worst {
			worst, worstStep = dev/tol, step
		}
		if dev > tol {
			t.Errorf("step %d: mean share %.5f, Bass %.5f: off by %.5f, more than %.5f", step, mean, f, dev, tol)
		}
	}
	t.Logf("largest deviation: %.2f of the tolerance, at step %d", worst, worstStep)
}

// TestMultiRegionBass writes a multi-region Bass model with a directed,
// asymmetric coupling matrix as a scenario and checks its per-region curves
// against the model's own recurrence, computed independently here, for
// both kinds of ties. With directed ("listen-to") contacts:
//
//	F_r[t+1] = F_r[t] + (1 − F_r[t]) (p_r + q Σ_s W[r][s] F_s[t])
//
// where row r of W is row-stochastic: W[r][r] = 1 − reach_r and, for
// s ≠ r, W[r][s] = reach_r · c[r][s] / Σ_{s'≠r} c[r][s'] with c the
// couplings of the directed links from r. With reciprocal ties a firm of r
// also has the ties that firms of s draw to it, N_s·W[s][r]/N_r per
// contact drawn, and each of its 2k ties on average adds q/(2k):
//
//	F_r[t+1] = F_r[t] + (1 − F_r[t]) (p_r + q/2 Σ_s M[r][s] F_s[t]),
//	M[r][s] = W[r][s] + N_s W[s][r] / N_r   (M[r][r] = 2 W[r][r]).
//
// Both use well-mixed contacts, capability 1 and no friction. Each region
// is one city, of unequal sizes; a firm's own-city contacts are among the
// N − 1 other firms, so the own share enters as F_r · N_r / (N_r − 1). The
// recurrence is of expected shares, the model's mean of a random process:
// it holds to within the noise for populations this large (see TestBass).
// Each of the 120 comparisons (3 regions × 40 steps) per kind of ties
// allows t·SE, with t the Student quantile for a family-wise false alarm
// rate of 1 % (Bonferroni over the 120), floored at 0.002 where the spread
// is tiny.
func TestMultiRegionBass(t *testing.T) {
	for _, ties := range []string{TiesDirected, TiesReciprocal} {
		t.Run(ties, func(t *testing.T) { checkMultiRegionBass(t, ties) })
	}
}

func checkMultiRegionBass(t *testing.T, ties string) {
	const (
		steps, reps = 40, 20
		q           = 0.4
	)
	if testing.Short() {
		t.Skip("runs 20 × 300,000 firms")
	}
	ids := []string{"a", "b", "c"}
	firms := []int{100_000, 60_000, 140_000}
	p := []float64{0.01, 0.002, 0.001}
	reach := []float64{0.3, 0.5, 0.2}
	coupling := [3][3]float64{ // from row to column; the diagonal is unused
		{0, 3, 1},
		{1, 0, 1},
		{0, 2, 0},
	}
	c := NewConfig()
	c.Name, c.Seed, c.Steps, c.Replicates = "multi-bass", 3, steps, reps
	c.Diffusion.Mixing, c.Diffusion.Ties, c.Diffusion.Q = MixingWell, ties, q
	for r, id := range ids {
		reg := NewRegion()
		reg.ID, reg.P, reg.Reach = id, p[r], reach[r]
		city := NewCity()
		city.ID, city.Firms = id+"-city", firms[r]
		reg.Cities = []City{city}
		c.Regions = append(c.Regions, reg)
		for s, to := range ids {
			if s != r {
				c.Links = append(c.Links, Link{From: id, To: to, LinkParams: LinkParams{Coupling: coupling[r][s]}})
			}
		}
	}
	c.Initial = []Initial{{City: "a-city", Share: 0.02}}
	mustValid(t, c)
	var w [3][3]float64
	for r := range 3 {
		total := 0.0
		for s := range 3 {
			if s != r {
				total += coupling[r][s]
			}
		}
		w[r][r] = 1 - reach[r]
		for s := range 3 {
			if s != r {
				w[r][s] = reach[r] * coupling[r][s] / total
			}
		}
	}
	m, scale := w, 1.0 // the weights of the recurrence, and q's factor
	if ties == TiesReciprocal {
		for r := range 3 {
			for s := range 3 {
				m[r][s] = w[r][s] + float64(firms[s])*w[s][r]/float64(firms[r])
			}
		}
		scale = 0.5
	}
	res, err := Run(context.Background(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := []float64{math.Round(0.02*float64(firms[0])) / float64(firms[0]), 0, 0}
	tq := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: reps - 1}.Quantile(1 - 0.01/(2*3*steps))
	worst := 0.0
	for step := range steps {
		next := make([]float64, 3)
		for r := range 3 {
			s := 0.0
			for u := range 3 {
				fu := f[u]
				if u == r {
					fu *= float64(firms[r]) / float64(firms[r]-1)
				}
				s += m[r][u] * fu
			}
			next[r] = f[r] + (1-f[r])*(p[r]+q*scale*s)
		}
		f = next
		for r := range 3 {
			xs := make([]float64, reps)
			for k, run := range res.Runs {
				xs[k] = run.Rows[step*3+r].AdoptionShare
			}
			mean, sd := stat.MeanStdDev(xs, nil)
			tol := math.Max(tq*sd/math.Sqrt(reps), 0.002)
			dev := math.Abs(mean - f[r])
			worst = max(worst, dev/tol)
			if dev > tol {
				t.Errorf("step %d, region %s: mean share %.5f, recurrence %.5f: off by %.5f, more than %.5f", step, ids[r], mean, f[r], dev, tol)
			}
		}
	}
	t.Logf("largest deviation: %.2f of the tolerance", worst)
}
