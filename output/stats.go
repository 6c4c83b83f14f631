package output

import (
	"math"
	"slices"
	"sort"

	"github.com/triad-sim/triad/internal/portable"
)

// Tests a Difference may come from.
const (
	// PairedT is Student's t-test on the per-replicate differences of
	// paired runs.
	PairedT = "paired t"
	// SignedRank is the exact Wilcoxon signed-rank test on the
	// per-replicate differences of paired runs.
	SignedRank = "Wilcoxon signed-rank"
	// WelchT is Welch's t-test for two independent sets of runs.
	WelchT = "Welch t"
)

// FewPairs is the number of pairs below which a paired difference takes
// its p-value from the exact Wilcoxon signed-rank test rather than the
// paired t-test. Below ten pairs the t-test's assumption that the
// differences are normal cannot be checked from the data, and a single
// outlying pair can make or break it; the rank test assumes only that the
// differences are symmetric about their centre. Its price: with five pairs
// or fewer no result reaches p < 0.05 (the smallest exact two-sided p is
// 2/2⁵ = 0.0625), which is the honest answer for so few runs. The t-test's
// p is reported beside it all the same.
const FewPairs = 10

// pairedDiff returns the Difference b − a of paired values: a[i] and b[i]
// come from runs with the same seed. Pairs where either value is NaN (a
// figure that does not exist in that run) are left out. With d the n
// differences, mean d̄ and sample sd s_d:
//
//	t  = d̄ / (s_d/√n),  DF = n − 1,  CI = d̄ ∓ t₀.₉₇₅(n−1)·s_d/√n
//	P  = 2·F(−|t|)                    (paired t; PT)
//	PW = exact Wilcoxon signed-rank p (see wilcoxonP), when n < FewPairs
//	Effect = d_z = d̄ / s_d            (Cohen's d for paired samples)
//
// P is PW when n < FewPairs and PT otherwise. With fewer than two pairs
// everything but Mean (and N) is NaN. When every difference is the same
// (s_d = 0) the difference is exact: a zero-width interval, P 1 when it is
// 0 and 0 otherwise, and an infinite effect for a non-zero difference.
func pairedDiff(a, b []float64) Difference {
	if len(a) != len(b) {
		panic("output: paired values of different lengths")
	}
	var d []float64
	for i := range a {
		if !math.IsNaN(a[i]) && !math.IsNaN(b[i]) {
			d = append(d, b[i]-a[i])
		}
	}
	nan := math.NaN()
	r := Difference{Test: PairedT, N: len(d), Mean: nan, CILow: nan, CIHigh: nan, DF: nan, P: nan, PT: nan, PW: nan, PAdj: nan, Effect: nan}
	if len(d) == 0 {
		return r
	}
	if len(d) == 1 {
		r.Mean = d[0]
		return r
	}
	mean, sd := portable.MeanStdDev(d, nil)
	r.Mean, r.DF = mean, float64(len(d)-1)
	if len(d) < FewPairs {
		r.Test = SignedRank
		r.PW = wilcoxonP(d)
	}
	if sd == 0 {
		r.CILow, r.CIHigh = mean, mean
		r.PT = 0
		r.Effect = math.Inf(1)
		switch {
		case mean == 0:
			r.PT, r.Effect = 1, 0
		case mean < 0:
			r.Effect = math.Inf(-1)
		}
	} else {
		se := sd / math.Sqrt(float64(len(d)))
		h := float64(portable.StudentsTQuantile(0.975, r.DF) * se)
		r.CILow, r.CIHigh = mean-h, mean+h
		r.PT = 2 * portable.StudentsTCDF(-math.Abs(mean/se), r.DF)
		r.Effect = mean / sd
	}
	r.P = r.PT
	if r.Test == SignedRank {
		r.P = r.PW
	}
	return r
}

// wilcoxonP returns the two-sided p-value of the exact Wilcoxon
// signed-rank test that the differences d are symmetric about 0.
//
// Zeros are dropped (Wilcoxon's own treatment: a pair that did not change
// says nothing about the direction); when nothing is left, P is 1. Tied
// absolute differences share their mean rank, and the null distribution is
// the exact one given those ranks: every one of the 2ⁿ sign patterns is
// equally likely, counted by dynamic programming over the sums of doubled
// ranks (whole numbers even with half ranks), in O(n³) time. The p-value is
// twice the smaller tail of W⁺, the sum of the ranks of the positive
// differences, capped at 1. n is at most a few dozen here (the test is used
// below FewPairs), far below where the counts could overflow a float64's
// exact integers.
func wilcoxonP(d []float64) float64 {
	var abs []float64
	for _, x := range d {
		if x != 0 {
			abs = append(abs, math.Abs(x))
		}
	}
	n := len(abs)
	if n == 0 {
		return 1
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return abs[idx[i]] < abs[idx[j]] })
	rank2 := make([]int, n) // doubled mid-ranks, by position in abs
	for i := 0; i < n; {
		j := i
		for j < n && abs[idx[j]] == abs[idx[i]] {
			j++
		}
		// positions i..j-1 (0-based) share ranks i+1..j: mean (i+1+j)/2
		for k := i; k < j; k++ {
			rank2[idx[k]] = i + 1 + j
		}
		i = j
	}
	w := 0 // doubled W⁺
	k := 0
	for _, x := range d {
		if x == 0 {
			continue
		}
		if x > 0 {
			w += rank2[k]
		}
		k++
	}
	total := 0
	for _, r := range rank2 {
		total += r
	}
	count := make([]float64, total+1) // count[s]: sign patterns with doubled W⁺ = s
	count[0] = 1
	for _, r := range rank2 {
		for s := total; s >= r; s-- {
			count[s] += count[s-r]
		}
	}
	var lower, upper float64
	for s, c := range count {
		if s <= w {
			lower += c
		}
		if s >= w {
			upper += c
		}
	}
	all := math.Ldexp(1, n)
	return math.Min(1, 2*math.Min(lower, upper)/all)
}

// welch returns the Difference b − a of two independent sets from their
// summaries (N, Mean and SD), by Welch's t-test, which does not assume
// equal variances. With s² the sample variances and SE² = s²_A/n_A +
// s²_B/n_B:
//
//	t  = (mean_B − mean_A) / SE
//	DF = SE⁴ / ((s²_A/n_A)²/(n_A−1) + (s²_B/n_B)²/(n_B−1))   (Welch–Satterthwaite)
//	CI = (mean_B − mean_A) ∓ t₀.₉₇₅(DF)·SE
//	P  = 2·F(−|t|), F the CDF of Student's t with DF degrees of freedom
//	Effect = Hedges' g = J·(mean_B − mean_A)/s_pooled,
//	         s²_pooled = ((n_A−1)s²_A + (n_B−1)s²_B)/(n_A+n_B−2),
//	         J = 1 − 3/(4(n_A+n_B) − 9)   (the small-sample correction)
//
// Degenerate cases: when either set has fewer than two values there is no
// spread to test against, so DF, the interval, P and Effect are NaN (Mean
// is still the difference, or NaN when a set has no value). When both sets
// have zero spread (SE = 0) the difference is exact: DF is NaN, the
// interval has zero width, P is 1 for equal means and 0 for different
// ones.
func welch(a, b Stat) Difference {
	nan := math.NaN()
	d := Difference{Test: WelchT, N: min(a.N, b.N), Mean: b.Mean - a.Mean, CILow: nan, CIHigh: nan, DF: nan, P: nan, PT: nan, PW: nan, PAdj: nan, Effect: nan}
	if a.N < 2 || b.N < 2 {
		return d
	}
	va, vb := a.SD*a.SD/float64(a.N), b.SD*b.SD/float64(b.N)
	se2 := va + vb
	pooled := math.Sqrt((float64((float64(a.N)-1)*a.SD*a.SD) + float64((float64(b.N)-1)*b.SD*b.SD)) / float64(a.N+b.N-2))
	if se2 == 0 {
		d.CILow, d.CIHigh = d.Mean, d.Mean
		d.P, d.Effect = 0, math.Copysign(math.Inf(1), d.Mean)
		if d.Mean == 0 {
			d.P, d.Effect = 1, 0
		}
		d.PT = d.P
		return d
	}
	d.DF = se2 * se2 / (va*va/float64(a.N-1) + vb*vb/float64(b.N-1))
	se := math.Sqrt(se2)
	h := float64(portable.StudentsTQuantile(0.975, d.DF) * se)
	d.CILow, d.CIHigh = d.Mean-h, d.Mean+h
	d.P = 2 * portable.StudentsTCDF(-math.Abs(d.Mean/se), d.DF)
	d.PT = d.P
	d.Effect = (1 - 3/(float64(4*float64(a.N+b.N))-9)) * d.Mean / pooled
	return d
}

// AdjustBH returns the Benjamini–Hochberg adjusted p-values of ps, in the
// same order: p_(i)·m/i for the i-th smallest of the m p-values, made
// monotone from the largest down and capped at 1. NaN p-values (no test)
// stay NaN and do not count in m. Rejecting where the adjusted p is below
// α keeps the expected share of false discoveries among the rejections at
// most α when the tests are independent or positively dependent (as the
// figures of the same runs mostly are).
func AdjustBH(ps []float64) []float64 {
	out := make([]float64, len(ps))
	var idx []int
	for i, p := range ps {
		out[i] = math.NaN()
		if !math.IsNaN(p) {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		switch {
		case ps[i] < ps[j]:
			return -1
		case ps[i] > ps[j]:
			return 1
		}
		return 0
	})
	m := float64(len(idx))
	run := 1.0
	for k := len(idx) - 1; k >= 0; k-- {
		run = math.Min(run, ps[idx[k]]*m/float64(k+1))
		out[idx[k]] = run
	}
	return out
}
