package fit

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/triad-sim/triad/internal/portable"
)

var coverage = flag.Bool("coverage", false, "run the coverage study of the fit on the model (docs/CALIBRATION.md)")

// TestCoverageOnTheModel is the coverage study of docs/CALIBRATION.md: it
// fits two parameters of the small scenario of testdata to synthetic
// targets made by the model itself at known points drawn from the prior,
// and counts how often the 90 % posterior interval holds the true value.
// Each target's observed value is the mean of 4 runs at the truth on
// seeds the fit never uses, and its uncertainty the standard deviation of
// such a mean (from 40 runs at the truth), so the fit's error model holds.
// Exact intervals would cover a Binomial(2 × points, 0.9) number of true
// values; the test asks for no fewer than that distribution's 0.1 %
// quantile. Run with -coverage (it takes minutes).
func TestCoverageOnTheModel(t *testing.T) {
	if !*coverage {
		t.Skip("the coverage study runs with -coverage")
	}
	const points, reps = 10, 4
	rng := rand.New(rand.NewPCG(27, 6))
	base := smallSpec(t, 150, 5)
	base.Config.Replicates = reps
	var rows []string
	covered, total := 0, 0
	for k := range points {
		truth := make([]float64, len(base.Params))
		for j, p := range base.Params {
			truth[j] = p.Lo + (p.Hi-p.Lo)*(0.1+0.8*rng.Float64())
		}
		// The spread of one run's figures at the truth.
		one := *base
		one.Config.Replicates = 1
		var runs [][]float64
		for s := range 40 {
			one.Config.Seed = 1_000_000 + uint64(s)
			f, err := one.Simulate(context.Background(), truth, nil)
			if err != nil {
				t.Fatal(err)
			}
			runs = append(runs, f)
		}
		obs := *base
		obs.Config.Seed = 5_000_000 + uint64(k)
		observed, err := obs.Simulate(context.Background(), truth, nil)
		if err != nil {
			t.Fatal(err)
		}
		s := *base
		s.Targets = nil
		for i, tg := range base.Targets {
			col := make([]float64, len(runs))
			for r := range runs {
				col[r] = runs[r][i]
			}
			_, sd := portable.MeanStdDev(col, nil)
			v, u := observed[i], sd/math.Sqrt(reps)
			tg.Value, tg.Uncertainty = &v, &u
			s.Targets = append(s.Targets, tg)
		}
		s.Config.Seed = uint64(k + 1)
		r, err := Run(context.Background(), &s, t.TempDir(), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		var cells []string
		for j, p := range s.Params {
			lo, hi := interval90(r, j)
			in := lo <= truth[j] && truth[j] <= hi
			if in {
				covered++
			}
			total++
			cells = append(cells, fmt.Sprintf("%s %.3g in [%.3g, %.3g]: %v", p.Label, truth[j], lo, hi, in))
		}
		rows = append(rows, strings.Join(cells, "; "))
	}
	t.Logf("coverage of the 90 %% intervals: %d of %d true values\n%s", covered, total, strings.Join(rows, "\n"))
	// The 0.1 % quantile of Binomial(20, 0.9) is 13.
	if covered < 13 {
		t.Errorf("the 90 %% intervals held %d of %d true values, want at least 13", covered, total)
	}
}

// interval90 is the weighted 5 % and 95 % quantiles of parameter j over
// the fit's last generation.
func interval90(r *Result, j int) (lo, hi float64) {
	type pair struct{ x, w float64 }
	var ps []pair
	for _, q := range r.res.Particles {
		ps = append(ps, pair{q.Theta[j], q.Weight})
	}
	slices.SortFunc(ps, func(a, b pair) int { return cmp.Compare(a.x, b.x) })
	x, w := make([]float64, len(ps)), make([]float64, len(ps))
	for i, p := range ps {
		x[i], w[i] = p.x, p.w
	}
	return portable.Quantile(0.05, x, w), portable.Quantile(0.95, x, w)
}
