package output

import (
	"math"
	"testing"

	"github.com/triad-sim/triad/output/internal/fixture"
)

// TestWilcoxonCriticalValues holds the exact signed-rank distribution
// against the printed table of critical values for a two-sided test at
// α = 0.05 (the largest W with P(W⁺ ≤ W) ≤ 0.025; e.g. Wilcoxon, Katti
// and Wilcox 1970, reproduced in most textbooks: n = 6: 0, 7: 2, 8: 3,
// 9: 5, 10: 8, 11: 10, 12: 13, 13: 17, 14: 21, 15: 25, 20: 52). For each n
// the differences 1..n with the signs of the ranks 1..W negative give
// W⁺ = W (the lower tail) and must be significant; W + 1 must not.
func TestWilcoxonCriticalValues(t *testing.T) {
	table := map[int]int{6: 0, 7: 2, 8: 3, 9: 5, 10: 8, 11: 10, 12: 13, 13: 17, 14: 21, 15: 25, 20: 52}
	for n, crit := range table {
		for _, w := range []int{crit, crit + 1} {
			d := withRankSum(n, w)
			p := wilcoxonP(d)
			if sig := p <= 0.05; sig != (w == crit) {
				t.Errorf("n=%d W=%d: got p %.5f, want significant at 0.05 only for W=%d", n, w, p, crit)
			}
		}
	}
	// n = 5 can never reach 0.05: the smallest two-sided p is 2/32.
	if p := wilcoxonP([]float64{1, 2, 3, 4, 5}); p != 2.0/32 {
		t.Errorf("n=5, all positive: got p %v, want 1/16", p)
	}
}

// withRankSum returns n differences of absolute values 1..n whose
// negative ones have ranks summing to w (greedy from the largest rank),
// so that the lower tail statistic is w.
func withRankSum(n, w int) []float64 {
	d := make([]float64, n)
	for i := range d {
		d[i] = float64(i + 1)
	}
	for r := n; r >= 1 && w > 0; r-- {
		if r <= w {
			d[r-1] = -d[r-1]
			w -= r
		}
	}
	return d
}

func TestWilcoxonExact(t *testing.T) {
	tests := []struct {
		name string
		d    []float64
		want float64
	}{
		// n = 6, W⁺ = 21 (all positive): one pattern of 64 in each tail.
		{"all positive", []float64{1, 2, 3, 4, 5, 6}, 2.0 / 64},
		// n = 4, ranks 1..4, W⁺ = 4 + 3 = 7 (negatives 1, 2): patterns
		// with W⁺ ≥ 7: sums of subsets of {1,2,3,4} ≥ 7 are {3,4}, {1,2,4},
		// {1,2,3,4}, {1,3,4}, {2,3,4}: 5 of 16, so p = 10/16.
		{"mixed signs", []float64{-1, -2, 3, 4}, 10.0 / 16},
		// Zeros are dropped: the same as {1, 2, 3, 4, 5} alone.
		{"zeros are dropped", []float64{0, 1, 0, 2, 3, 4, 5}, 2.0 / 32},
		{"only zeros say nothing", []float64{0, 0, 0}, 1},
		// Ties share their mean rank: |d| = 1, 1, 2 has ranks 1.5, 1.5, 3
		// (doubled 3, 3, 6). W⁺ (doubled) = 3 + 6 = 9 for signs -,+,+.
		// The 8 patterns give doubled sums 0, 3, 3, 6, 6, 9, 9, 12: P(≥9)
		// = 3/8, P(≤9) = 7/8, p = 6/8.
		{"ties share their mean rank", []float64{-1, 1, 2}, 6.0 / 8},
		{"symmetric about zero", []float64{-3, -2, -1, 1, 2, 3}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wilcoxonP(tt.d); !fixture.Same(got, tt.want, 1e-15) {
				t.Errorf("got p %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPairedDiff(t *testing.T) {
	t.Run("the paired t-test on the differences", func(t *testing.T) {
		// Five pairs, the third with a NaN (left out): d = b − a =
		// {1, 2, 3, 6}, mean 3, sd √(14/3), n = 4, DF = 3.
		a := []float64{1, 1, math.NaN(), 1, 1}
		b := []float64{2, 3, 9, 4, 7}
		d := pairedDiff(a, b)
		if d.N != 4 || d.Mean != 3 || d.DF != 3 {
			t.Fatalf("got n %d, mean %v, df %v; want 4, 3, 3", d.N, d.Mean, d.DF)
		}
		sd := math.Sqrt(14.0 / 3)
		if !fixture.Same(d.Effect, 3/sd, 1e-12) {
			t.Errorf("got d_z %v, want %v", d.Effect, 3/sd)
		}
		// t = 3/(sd/2) = 2.7775; for ν = 3 the two-sided p is
		// 1 − (2/π)(atan(t/√3) + (t/√3)/(1 + t²/3)), the closed form of
		// Student's t with three degrees of freedom.
		tt := 3 / (sd / 2)
		x := tt / math.Sqrt(3)
		want := 1 - 2/math.Pi*(math.Atan(x)+x/(1+x*x))
		if !fixture.Same(d.PT, want, 1e-10) {
			t.Errorf("got paired t p %v, want %v", d.PT, want)
		}
		// Four pairs, all positive: the Wilcoxon p is 2/16 and is the one
		// used, fewer than FewPairs pairs.
		if d.Test != SignedRank || d.PW != 2.0/16 || d.P != d.PW {
			t.Errorf("got test %q with p %v (Wilcoxon %v), want the signed-rank test's 0.125", d.Test, d.P, d.PW)
		}
		if h := 3.182 * sd / 2; !fixture.Same(d.CIHigh-d.Mean, h, 2e-3) { // t(0.975, 3) = 3.182 in tables
			t.Errorf("got half-width %v, want %v", d.CIHigh-d.Mean, h)
		}
	})
	t.Run("enough pairs use the t-test", func(t *testing.T) {
		a := make([]float64, FewPairs)
		b := make([]float64, FewPairs)
		for i := range b {
			b[i] = float64(i % 3)
		}
		if d := pairedDiff(a, b); d.Test != PairedT || d.P != d.PT || !math.IsNaN(d.PW) {
			t.Errorf("got test %q, p %v, t p %v, Wilcoxon p %v; want the t-test alone", d.Test, d.P, d.PT, d.PW)
		}
	})
	t.Run("a constant shift is exact", func(t *testing.T) {
		d := pairedDiff([]float64{1, 2, 3}, []float64{3, 4, 5})
		if d.Mean != 2 || d.CILow != 2 || d.CIHigh != 2 || d.PT != 0 || !math.IsInf(d.Effect, 1) {
			t.Errorf("got %+v, want difference 2 exactly with p 0", d)
		}
	})
	t.Run("one pair has no test", func(t *testing.T) {
		d := pairedDiff([]float64{1, math.NaN()}, []float64{4, 5})
		if d.Mean != 3 || d.N != 1 || !math.IsNaN(d.P) || !math.IsNaN(d.CILow) {
			t.Errorf("got %+v, want difference 3 without a test", d)
		}
	})
}

// TestPairingBeatsWelchOnCorrelatedRuns shows why paired runs are tested
// paired: two sets that share their run-to-run noise (correlation near 1)
// and differ by a small shift. Welch sees the noise and misses the shift;
// the paired test sees only the shift.
func TestPairingBeatsWelchOnCorrelatedRuns(t *testing.T) {
	a := []float64{10, 14, 9, 12, 15, 8, 11, 13, 10, 12, 9, 14}
	b := make([]float64, len(a))
	for i, x := range a {
		b[i] = x + 0.5 + 0.1*float64(i%3-1)
	}
	paired := pairedDiff(a, b)
	unpaired := welch(describe(a), describe(b))
	if !(paired.P < 1e-6) || !(unpaired.P > 0.5) {
		t.Errorf("got paired p %v and Welch p %v, want < 1e-6 and > 0.5", paired.P, unpaired.P)
	}
	if !fixture.Same(paired.Mean, unpaired.Mean, 1e-12) {
		t.Errorf("got mean differences %v and %v, want equal", paired.Mean, unpaired.Mean)
	}
}

func TestAdjustBH(t *testing.T) {
	nan := math.NaN()
	// m = 5 (the NaN does not count): sorted 0.01, 0.02, 0.03, 0.04, 0.5
	// times 5/i: 0.05, 0.05, 0.05, 0.05, 0.5; monotone from the top.
	ps := []float64{0.04, nan, 0.01, 0.5, 0.03, 0.02}
	want := []float64{0.05, nan, 0.05, 0.5, 0.05, 0.05}
	got := AdjustBH(ps)
	for i := range want {
		if !fixture.Same(got[i], want[i], 1e-12) {
			t.Errorf("p %v: got adjusted %v, want %v", ps[i], got[i], want[i])
		}
	}
	// The textbook example (Benjamini and Hochberg 1995, the 15 p-values
	// of their section 3.2): at q = 0.05 the first four are rejected.
	bh95 := []float64{0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000}
	rejected := 0
	for _, p := range AdjustBH(bh95) {
		if p <= 0.05 {
			rejected++
		}
	}
	if rejected != 4 {
		t.Errorf("got %d rejections in Benjamini and Hochberg's example, want 4", rejected)
	}
	if got := AdjustBH([]float64{0.9, 0.95}); got[0] != 0.95 || got[1] != 0.95 {
		t.Errorf("got %v, want [0.95 0.95] (monotone, capped at 1)", got)
	}
}
