package sim_test

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/triad-sim/triad/internal/portable"
	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

var convergence = flag.Bool("convergence", false, "print the convergence table of docs/SENSITIVITY.md")

// ishigami is the Ishigami–Homma function (a = 7, b = 0.1) on [−π, π]³,
// given x in [0, 1]³, and its analytic S1 and ST (Saltelli et al. 2008,
// The Primer, §4.9).
func ishigami(x []float64) float64 {
	x1, x2, x3 := -math.Pi+2*math.Pi*x[0], -math.Pi+2*math.Pi*x[1], -math.Pi+2*math.Pi*x[2]
	return math.Sin(x1) + 7*math.Sin(x2)*math.Sin(x2) + 0.1*math.Pow(x3, 4)*math.Sin(x1)
}

// ishigamiIndices returns them for outputs with independent noise of
// variance noise added to every run: the noise adds to V and, since A and
// A_B(i) have independent noise, to every total index's numerator.
func ishigamiIndices(noise float64) (s1, st []float64) {
	p4, p8 := math.Pow(math.Pi, 4), math.Pow(math.Pi, 8)
	v1 := (1 + 0.1*p4/5) * (1 + 0.1*p4/5) / 2
	v2 := 49.0 / 8
	v13 := 0.01 * p8 * (1.0/18 - 1.0/50)
	v := v1 + v2 + v13 + noise
	return []float64{v1 / v, v2 / v, 0}, []float64{(v1 + v13 + noise) / v, (v2 + noise) / v, (v13 + noise) / v}
}

// saltelliOutputs evaluates f on the design of sim's rows, adding normal
// noise of sd sd (drawn from seed) to every output.
func saltelliOutputs(f func([]float64) float64, rows [][]float64, k int, sd float64, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 5))
	var y []float64
	at := func(x []float64) {
		y = append(y, f(x)+sd*r.NormFloat64())
	}
	for _, ab := range rows {
		a, b := ab[:k], ab[k:]
		at(a)
		at(b)
		for i := range k {
			x := slices.Clone(a)
			x[i] = b[i]
			at(x)
		}
	}
	return y
}

// convergenceRow is one line of the convergence table: for one N and one
// kind of design, over seeds, the root mean square error of S1 and ST
// against the analytic indices (averaged over the inputs) and the mean
// width of their bootstrap intervals.
type convergenceRow struct {
	n                                int
	quasi                            bool
	rmseS1, rmseST, widthS1, widthST float64
}

func convergenceRows(ns []int, seeds int, sd float64) []convergenceRow {
	s1Ref, stRef := ishigamiIndices(sd * sd)
	const k = 3
	var out []convergenceRow
	for _, n := range ns {
		for _, quasi := range []bool{false, true} {
			row := convergenceRow{n: n, quasi: quasi}
			var e1, et, w1, wt []float64
			for seed := uint64(1); seed <= uint64(seeds); seed++ {
				y := saltelliOutputs(ishigami, sim.SaltelliRows(seed, n, k, !quasi), k, sd, seed)
				for i, e := range output.Sobol(output.Replicated(y), k, output.Bootstrap{Resamples: 200, Seed: seed}) {
					e1 = append(e1, (e.S1.Value-s1Ref[i])*(e.S1.Value-s1Ref[i]))
					et = append(et, (e.ST.Value-stRef[i])*(e.ST.Value-stRef[i]))
					w1 = append(w1, e.S1.CIHigh-e.S1.CILow)
					wt = append(wt, e.ST.CIHigh-e.ST.CILow)
				}
			}
			row.rmseS1, row.rmseST = math.Sqrt(portable.Mean(e1)), math.Sqrt(portable.Mean(et))
			row.widthS1, row.widthST = portable.Mean(w1), portable.Mean(wt)
			out = append(out, row)
		}
	}
	return out
}

// TestSaltelliConvergence compares the errors of Sobol indices of the
// Ishigami function from quasi-random (scrambled Sobol') and pseudo-random
// base matrices over 20 seeds. The quasi-random design must be more
// accurate at N = 1024: its root mean square error of S1 and of ST below
// the pseudo-random one's (on these seeds it is a fifth). With
// -convergence it prints the tables of docs/SENSITIVITY.md for N = 64 to
// 4096, without noise and with noise of sd 2 (a noise share of about
// 22 %) on every run.
func TestSaltelliConvergence(t *testing.T) {
	ns := []int{1024}
	if *convergence {
		ns = []int{64, 256, 1024, 4096}
	}
	for _, sd := range []float64{0, 2} {
		if sd > 0 && !*convergence {
			continue
		}
		rows := convergenceRows(ns, 20, sd)
		for i := 0; i < len(rows); i += 2 {
			p, q := rows[i], rows[i+1]
			if sd == 0 && p.n == 1024 && (q.rmseS1 >= p.rmseS1 || q.rmseST >= p.rmseST) {
				t.Errorf("N = 1024: quasi-random RMSE S1 %.4f ST %.4f, pseudo-random %.4f and %.4f: want the quasi-random smaller", q.rmseS1, q.rmseST, p.rmseS1, p.rmseST)
			}
		}
		if *convergence {
			fmt.Printf("\nNoise sd %g on every run:\n\n", sd)
			fmt.Println("| N | base matrices | RMSE of S1 | RMSE of ST | mean 95 % interval width, S1 | same, ST |")
			fmt.Println("| --- | --- | --- | --- | --- | --- |")
			for _, r := range rows {
				kind := "pseudo-random"
				if r.quasi {
					kind = "Sobol' (scrambled)"
				}
				fmt.Printf("| %d | %s | %.4f | %.4f | %.4f | %.4f |\n", r.n, kind, r.rmseS1, r.rmseST, r.widthS1, r.widthST)
			}
		}
	}
}
