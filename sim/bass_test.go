package sim

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// TestBass checks the well-mixed pure-diffusion case against the discrete
// Bass recurrence F[t+1] = F[t] + (1 - F[t]) (p + q F[t]). With a single
// region, capability 1 and no friction the expected adopter share follows
// it exactly (the k fresh contacts make S/k an unbiased estimate of F, and
// the adoption chance is linear in S). The tolerance is 3 standard errors
// of the mean over replicates, floored at 0.002 for the early steps where
// the spread is tiny.
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
