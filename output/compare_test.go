package output

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

// statOf returns the Stat of values, as Summarize computes it.
func statOf(values ...float64) Stat { return describe(values) }

func TestWelch(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		a, b Stat
		want Difference
		// noCI skips the interval, which has no reference value.
		noCI bool
	}{
		// A = {1, 3}, B = {4, 6}: means 2 and 5, variances 2 and 2, so
		// SE² = 2/2 + 2/2 = 2 and t = 3/√2. DF = 2²/(1²/1 + 1²/1) = 2.
		// For ν = 2 the t CDF is 1/2 + t/(2√(2+t²)), so the two-sided
		// p = 1 − t/√(2+t²) = 1 − (3/√2)/√(13/2) = 1 − 3/√13
		// = 0.16794970566215632 (mpmath, 40 digits, agrees). The interval
		// is 3 ∓ t(0.975, 2)·√2 with fixture.T975DF2.
		{"equal sizes and variances match the closed form for two degrees of freedom",
			statOf(1, 3), statOf(4, 6),
			Difference{Mean: 3, CILow: 3 - fixture.T975DF2*math.Sqrt2, CIHigh: 3 + fixture.T975DF2*math.Sqrt2,
				DF: 2, P: 1 - 3/math.Sqrt(13)}, false},
		// A = {5, 5, 5} has no spread, B = {1, 2, 3, 4, 5} has mean 3 and
		// variance 2.5: SE² = 2.5/5 = 0.5, t = (3−5)/√0.5 = −2√2, and
		// DF = 0.5²/(0.5²/4) = 4 (Welch falls back on B's n−1, where a
		// pooled t-test would use 6). For ν = 4 the CDF is
		// 1/2 + (sin θ/2)(1 + cos²θ/2) with tan θ = t/2: at |t| = 2√2,
		// sin θ = √(2/3) and cos²θ = 1/3, so p = 1 − (7/6)√(2/3)
		// = 0.047420655584319628 (mpmath agrees). The interval uses
		// t(0.975, 4), 2.776 in printed tables (NIST/SEMATECH
		// e-Handbook 1.3.6.7.2), checked to three decimals below.
		{"one set without spread has the other's degrees of freedom",
			statOf(5, 5, 5), statOf(1, 2, 3, 4, 5),
			Difference{Mean: -2, CILow: -2 - 2.776*math.Sqrt(0.5), CIHigh: -2 + 2.776*math.Sqrt(0.5),
				DF: 4, P: 1 - 7.0/6*math.Sqrt(2.0/3)}, false},
		// A = {1, 2, 3, 4}: mean 2.5, variance 5/3; B = {3, 5, 7}: mean 5,
		// variance 4. SE² = 5/12 + 4/3 = 7/4, t = 2.5/√(7/4) = 5/√7 =
		// 1.8898223650461361, DF = (49/16)/((25/144)/3 + (16/9)/2) =
		// 1323/409 = 3.2347188264058680 (by hand, exact fractions). p for
		// a non-integer DF has no closed form: 0.14847134702688532 is
		// I_{DF/(DF+t²)}(DF/2, 1/2), the regularized incomplete beta,
		// evaluated with mpmath 1.3 at 40 digits.
		{"unequal sizes and variances use the Welch–Satterthwaite degrees of freedom",
			statOf(1, 2, 3, 4), statOf(3, 5, 7),
			Difference{Mean: 2.5, DF: 1323.0 / 409, P: 0.14847134702688532}, true},
		{"a set with one value has no test",
			statOf(1, 2, 3), statOf(7),
			Difference{Mean: 5, CILow: nan, CIHigh: nan, DF: nan, P: nan}, false},
		{"a set without values has no difference",
			statOf(1, 2, 3), statOf(),
			Difference{Mean: nan, CILow: nan, CIHigh: nan, DF: nan, P: nan}, false},
		{"equal constants do not differ",
			statOf(4, 4, 4), statOf(4, 4),
			Difference{Mean: 0, CILow: 0, CIHigh: 0, DF: nan, P: 1}, false},
		{"different constants differ for certain",
			statOf(4, 4, 4), statOf(6, 6),
			Difference{Mean: 2, CILow: 2, CIHigh: 2, DF: nan, P: 0}, false},
		// {1, 2, 4} has variance 7/3: SE² = 2·(7/3)/3 = 14/9, DF =
		// (14/9)²/(2·(7/9)²/2) = 4, t = 0.
		{"identical samples do not differ",
			statOf(1, 2, 4), statOf(1, 2, 4),
			Difference{Mean: 0, CILow: -2.776 * math.Sqrt(14.0/9), CIHigh: 2.776 * math.Sqrt(14.0/9), DF: 4, P: 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := welch(tt.a, tt.b)
			check := func(name string, got, want, tol float64) {
				t.Helper()
				if !fixture.Same(got, want, tol) {
					t.Errorf("got %s %.17g, want %.17g", name, got, want)
				}
			}
			check("difference", got.Mean, tt.want.Mean, 1e-12)
			check("p", got.P, tt.want.P, 1e-12)
			check("df", got.DF, tt.want.DF, 1e-12)
			if !tt.noCI {
				// Table values of t have three decimals.
				check("ci low", got.CILow, tt.want.CILow, 2e-3)
				check("ci high", got.CIHigh, tt.want.CIHigh, 2e-3)
			}
		})
	}
	t.Run("the interval is symmetric about the difference and excludes 0 exactly when p < 0.05", func(t *testing.T) {
		for _, c := range []struct{ a, b Stat }{
			{statOf(1, 2, 3, 4), statOf(3, 5, 7)},
			{statOf(5, 5, 5), statOf(1, 2, 3, 4, 5)},
			{statOf(1, 2, 3, 4, 5, 6), statOf(6, 7, 8, 9)},
		} {
			d := welch(c.a, c.b)
			if !fixture.Same(d.Mean-d.CILow, d.CIHigh-d.Mean, 1e-12) {
				t.Errorf("got interval [%v, %v] about %v, want it symmetric", d.CILow, d.CIHigh, d.Mean)
			}
			if excl := d.CILow > 0 || d.CIHigh < 0; excl != (d.P < 0.05) {
				t.Errorf("got interval [%v, %v] and p %v, want 0 outside exactly when p < 0.05", d.CILow, d.CIHigh, d.P)
			}
		}
	})
}

func TestCompare(t *testing.T) {
	sets := fixture.CompareSets[RunSet]()
	c, err := Compare(sets, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the default figures are t50 with the share reaching 50 %, the adoption, the accelerator's share and the lag", func(t *testing.T) {
		var got []string
		for _, r := range c.Rows {
			got = append(got, r.Metric+"/"+r.Region)
		}
		want := []string{"t50/src", "t50/acc", "reached50_share/src", "reached50_share/acc", "final_adoption/src", "final_adoption/acc",
			"commercialized_share/acc", "lag_median/"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("runs on the same seeds are paired, others are not", func(t *testing.T) {
		if len(c.Pairing) != 2 || c.Pairing[0].Paired || !c.Pairing[1].Paired {
			t.Fatalf("got pairing %+v, want slow unpaired and same paired", c.Pairing)
		}
		if !strings.Contains(c.Pairing[0].Why, "different seeds") || !strings.Contains(c.Pairing[1].Why, "Wilcoxon") {
			t.Errorf("got reasons %q and %q, want different seeds and, with 3 pairs, Wilcoxon", c.Pairing[0].Why, c.Pairing[1].Why)
		}
		for _, r := range c.Rows {
			if r.Diffs[0].Test != WelchT || (r.Diffs[1].N >= 2 && r.Diffs[1].Test != SignedRank) {
				t.Errorf("%s/%s: got tests %q and %q, want Welch and the signed-rank test", r.Metric, r.Region, r.Diffs[0].Test, r.Diffs[1].Test)
			}
		}
	})
	t.Run("the adjusted p is at least the raw one", func(t *testing.T) {
		for _, r := range c.Rows {
			for _, d := range r.Diffs {
				if d.PAdj < d.P || math.IsNaN(d.PAdj) != math.IsNaN(d.P) {
					t.Errorf("%s/%s: got p %v adjusted to %v", r.Metric, r.Region, d.P, d.PAdj)
				}
			}
		}
	})
	t.Run("sets and runs are listed", func(t *testing.T) {
		if strings.Join(c.Sets, " ") != "base slow same" || len(c.Runs) != 3 || c.Runs[0] != 3 {
			t.Errorf("got sets %q with %v runs, want base slow same with 3 each", c.Sets, c.Runs)
		}
	})
	t.Run("a set compared with a copy of itself does not differ", func(t *testing.T) {
		for _, r := range c.Rows {
			d := r.Diffs[1] // same − base
			if d.Mean != 0 {
				t.Errorf("got difference %v for %s/%s, want 0", d.Mean, r.Metric, r.Region)
			}
			if r.Stats[0].N >= 2 && d.P != 1 {
				t.Errorf("got p %v for %s/%s, want 1", d.P, r.Metric, r.Region)
			}
			if r.Stats[0].N < 2 && !math.IsNaN(d.P) {
				t.Errorf("got p %v for %s/%s with one value, want NaN", d.P, r.Metric, r.Region)
			}
		}
	})
	t.Run("differences follow the changed runs", func(t *testing.T) {
		// acc's t50 is two steps later in every run of slow: 2, 3, 4 against
		// 4, 5, 6, each with sd 1, so SE = √(2/3), t = 2/√(2/3) = √6 and
		// DF = (2/3)²/(2·(1/3)²/2) = 4.
		r := c.Rows[1]
		d := r.Diffs[0]
		if d.Test != WelchT {
			t.Fatalf("got test %q, want Welch's", d.Test)
		}
		if r.Metric != sim.MetricT50 || r.Region != "acc" {
			t.Fatalf("got row %s/%s, want t50/acc", r.Metric, r.Region)
		}
		if !fixture.Same(d.Mean, 2, 1e-12) || !fixture.Same(d.DF, 4, 1e-12) {
			t.Errorf("got difference %v with %v degrees of freedom, want 2 with 4", d.Mean, d.DF)
		}
		// For ν = 4 as in TestWelch: tan θ = √6/2, sin θ = √(3/5),
		// cos²θ = 2/5, p = 1 − √(3/5)(1 + 1/5) = 1 − 1.2√0.6.
		if want := 1 - 1.2*math.Sqrt(0.6); !fixture.Same(d.P, want, 1e-12) {
			t.Errorf("got p %v, want %v", d.P, want)
		}
	})
	t.Run("named metrics are compared for every region they exist for", func(t *testing.T) {
		c, err := Compare(sets, []string{sim.MetricLagMedian, sim.MetricTransferToPrefix + "acc", sim.MetricCommercialShare})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range c.Rows {
			got = append(got, r.Metric+"/"+r.Region)
		}
		want := []string{"lag_median/", "transfer_to_acc/src", "transfer_to_acc/acc",
			"commercialized_share/src", "commercialized_share/acc"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("without an accelerator the share of every region is compared", func(t *testing.T) {
		s := fixture.CompareSets[RunSet]()
		s[0].Config.Regions = append([]sim.Region(nil), s[0].Config.Regions...)
		s[0].Config.Regions[1].Role = "connector"
		c, err := Compare(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range c.Rows {
			if r.Metric == sim.MetricCommercialShare {
				n++
			}
		}
		if n != 2 {
			t.Errorf("got %d commercialized_share rows, want 2", n)
		}
	})
}

func TestCompareErrors(t *testing.T) {
	other := fixture.CompareSets[RunSet]()[1]
	other.Label = "wide"
	other.Regions = []string{"src", "acc", "far"}
	noRuns := fixture.CompareSets[RunSet]()[1]
	noRuns.Runs = []*sim.RunResult{nil}
	tests := []struct {
		name    string
		sets    []RunSet
		metrics []string
		want    string
		is      error
	}{
		{"different regions are refused, naming both lists",
			[]RunSet{fixture.CompareSets[RunSet]()[0], other}, nil,
			`compare: sets "base" and "wide" have different regions: [src acc] and [src acc far]; only runs over the same regions can be compared`, nil},
		{"one set is not a comparison",
			fixture.CompareSets[RunSet]()[:1], nil,
			"compare: need at least two sets, got 1", nil},
		{"a set without runs is refused",
			[]RunSet{fixture.CompareSets[RunSet]()[0], noRuns}, nil,
			`compare: set "slow": no finished runs`, ErrNoRuns},
		{"an unknown metric is refused, listing the known ones",
			fixture.CompareSets[RunSet](), []string{"t50", "speed"},
			`compare: unknown metric "speed" (known: discovered, commercialized, commercialization_rate, lost, lag_median, commercialized_share, final_adoption, adoption_at_24, adoption_at_60, t50, t50_km, reached50_share, transfer_to_src, transfer_to_acc)`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compare(tt.sets, tt.metrics)
			if got := fixture.ErrText(err); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("got error %v, want it to wrap %v", err, tt.is)
			}
		})
	}
}

func TestPrintCompare(t *testing.T) {
	c, err := Compare(fixture.CompareSets[RunSet](), nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := PrintCompare(&buf, c); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	tests := []struct {
		name, want string
	}{
		{"the header names each difference", "slow − base"},
		{"a figure missing from some runs says in how many it exists", "5.0 (1 of 3 runs)"},
		{"the test of each set is named", "slow vs base: independent sets: replicate 0 ran on different seeds; Welch's t-test"},
		{"a paired set names its test", "same vs base: paired: replicate by replicate the same seeds (3 pairs); exact Wilcoxon"},
		// Hedges' g: J = 1 − 3/(4·6 − 9) = 0.8 times −0.3 over the pooled
		// sd √((0.1² + 0.05²)/2); BH: the smallest of 14 p-values times 14.
		{"effect, raw p and adjusted p follow the difference, unmarked when only the raw p is below 0.05", "-30.0 ± 20.8  -3.04  0.020  0.275 "},
		{"the effect sizes are named", "d_z"},
		{"the footer explains the mark", "* marks p adj < 0.05"},
		{"the footer names the adjustment", "Benjamini–Hochberg over the"},
		{"whole-scenario figures are for all regions", "median lag (steps)    all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(out, tt.want) {
				t.Errorf("got\n%s\nwant it to contain %q", out, tt.want)
			}
		})
	}
	t.Run("a write error is reported with context", func(t *testing.T) {
		if got, want := fixture.ErrText(PrintCompare(failWriter{}, c)), "write comparison: disk full"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestFmtP(t *testing.T) {
	tests := []struct {
		name string
		p    float64
		want string
	}{
		{"no test", math.NaN(), "-"},
		{"far from significant", 0.5, "0.500"},
		{"just significant keeps a fourth decimal", 0.04996, "0.0500 *"},
		{"significant", 0.0123, "0.012 *"},
		{"tiny", 1e-9, "<0.001 *"},
		{"exactly the level is not significant", 0.05, "0.050"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatP(tt.p, true); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWriteCompareCSV(t *testing.T) {
	c, err := Compare(fixture.CompareSets[RunSet](), nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCompareCSV(&buf, c); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if got, want := len(lines), 1+len(c.Rows)*3; got != want {
		t.Fatalf("got %d lines, want %d", got, want)
	}
	if got, want := lines[1], "t50,src,base,1,5,NaN,NaN,,,,,,,,,,,"; got != want {
		t.Errorf("got first set's row %q, want %q (empty diff columns)", got, want)
	}
	if err := WriteCompareCSV(failWriter{}, c); fixture.ErrText(err) != "write comparison: disk full" {
		t.Errorf("got %v, want write comparison: disk full", err)
	}
}

func TestRegionsDiffer(t *testing.T) {
	for _, c := range []struct {
		ra, rb []string
		want   string
	}{
		{[]string{"x", "y"}, []string{"x", "y"}, ""},
		{[]string{"x", "y"}, []string{"x", "z"}, "a and b have different regions (only a has y; only b has z); compare takes scenarios over the same regions, nothing was run"},
		{[]string{"x"}, []string{"x", "z"}, "a and b have different regions (only b has z); compare takes scenarios over the same regions, nothing was run"},
		{[]string{"x", "y"}, []string{"y", "x"}, "a and b have different regions (they order them differently: [x y] and [y x]); compare takes scenarios over the same regions, nothing was run"},
	} {
		err := RegionsDiffer("a", "b", c.ra, c.rb)
		if (err == nil) != (c.want == "") || err != nil && err.Error() != c.want {
			t.Errorf("%v %v: %v, want %q", c.ra, c.rb, err, c.want)
		}
	}
}
