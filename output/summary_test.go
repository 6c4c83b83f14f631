package output

import (
	"math"
	"testing"

	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

func TestTQuantile(t *testing.T) {
	tests := []struct {
		name string
		nu   int
		want float64
	}{
		{"two degrees of freedom match the closed form", 2, 4.30265272974946385},
		// For ν = 1 (the Cauchy distribution) the quantile is tan(π(p−1/2)).
		{"one degree of freedom matches the Cauchy quantile", 1, math.Tan(0.475 * math.Pi)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tQuantile975(tt.nu); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("got t(0.975, %d) = %.17g, want %.17g", tt.nu, got, tt.want)
			}
		})
	}
	if got, want := math.Round(fixture.T975DF2*1000)/1000, 4.303; got != want {
		t.Errorf("got %v rounded to the table's three decimals, want %v", got, want)
	}
}

func TestDescribe(t *testing.T) {
	nan := math.NaN()
	// Values 1, 2, 3: mean 2, sample sd 1, so the half-width is
	// t(0.975, 2)·1/√3 = 2.4841377118…
	h := fixture.T975DF2 / math.Sqrt(3)
	tests := []struct {
		name string
		in   []float64
		want Stat
	}{
		{"three values", []float64{3, 1, 2},
			Stat{N: 3, Mean: 2, SD: 1, Median: 2, CILow: 2 - h, CIHigh: 2 + h}},
		{"NaN values are left out", []float64{nan, 3, 1, nan, 2},
			Stat{N: 3, Mean: 2, SD: 1, Median: 2, CILow: 2 - h, CIHigh: 2 + h}},
		// Two values 4 and 6: mean 5, sd √2, t(0.975, 1) = tan(0.475π) =
		// 12.706204736174705 (closed form for ν = 1, the Cauchy
		// distribution), half-width 12.7062·√2/√2 = 12.7062.
		{"two values and the lower middle as median", []float64{6, 4},
			Stat{N: 2, Mean: 5, SD: math.Sqrt2, Median: 4,
				CILow: 5 - math.Tan(0.475*math.Pi), CIHigh: 5 + math.Tan(0.475*math.Pi)}},
		{"equal values give a zero-width interval", []float64{0.5, 0.5, 0.5},
			Stat{N: 3, Mean: 0.5, SD: 0, Median: 0.5, CILow: 0.5, CIHigh: 0.5}},
		{"one value has no interval", []float64{nan, 7},
			Stat{N: 1, Mean: 7, SD: 0, Median: 7, CILow: nan, CIHigh: nan}},
		{"no values have no mean", []float64{nan, nan},
			Stat{N: 0, Mean: nan, SD: nan, Median: nan, CILow: nan, CIHigh: nan}},
		{"an empty slice has no mean", nil,
			Stat{N: 0, Mean: nan, SD: nan, Median: nan, CILow: nan, CIHigh: nan}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := describe(tt.in)
			if got.N != tt.want.N {
				t.Errorf("got N %d, want %d", got.N, tt.want.N)
			}
			for _, f := range []struct {
				name      string
				got, want float64
			}{
				{"mean", got.Mean, tt.want.Mean},
				{"sd", got.SD, tt.want.SD},
				{"median", got.Median, tt.want.Median},
				{"ci low", got.CILow, tt.want.CILow},
				{"ci high", got.CIHigh, tt.want.CIHigh},
			} {
				if !fixture.Same(f.got, f.want, 1e-9) {
					t.Errorf("got %s %v, want %v", f.name, f.got, f.want)
				}
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	res := fixture.Result()
	s := Summarize(res.Regions, res.Runs)
	// 5 whole-scenario metrics, 10 per region, and the 2×2 transfer matrix.
	if got, want := len(s), 5+10*2+4; got != want {
		t.Fatalf("got %d stats, want %d", got, want)
	}
	h := fixture.T975DF2 / math.Sqrt(3)
	tests := []struct {
		name           string
		metric, region string
		want           Stat
	}{
		// Total discoveries per run: 5, 5, 5.
		{"discoveries are summed over steps and regions", sim.MetricDiscovered, "",
			Stat{N: 3, Mean: 5, SD: 0, Median: 5, CILow: 5, CIHigh: 5}},
		// acc's t50 per run: 2, 3, 4.
		{"t50 of the accelerator", sim.MetricT50, "acc",
			Stat{N: 3, Mean: 3, SD: 1, Median: 3, CILow: 3 - h, CIHigh: 3 + h}},
		// src's t50 per run: NaN, 5, NaN.
		{"t50 that exists in one run only", sim.MetricT50, "src",
			Stat{N: 1, Mean: 5, SD: 0, Median: 5, CILow: math.NaN(), CIHigh: math.NaN()}},
		// Median lags per run: 2, 1 (lower middle of 1 1 2 3), 2.
		{"median lag", sim.MetricLagMedian, "",
			Stat{N: 3, Mean: 5.0 / 3, SD: math.Sqrt(1.0 / 3), Median: 2,
				CILow: 5.0/3 - h*math.Sqrt(1.0/3), CIHigh: 5.0/3 + h*math.Sqrt(1.0/3)}},
		// Transfer src→acc per run: 1, 2, 3.
		{"transfer from source to accelerator", sim.MetricTransferToPrefix + "acc", "src",
			Stat{N: 3, Mean: 2, SD: 1, Median: 2, CILow: 2 - h, CIHigh: 2 + h}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := s.Get(tt.metric, tt.region)
			if !ok {
				t.Fatalf("got no stat for %s/%s, want one", tt.metric, tt.region)
			}
			if got.Metric != tt.metric || got.Region != tt.region {
				t.Errorf("got %s/%s, want %s/%s", got.Metric, got.Region, tt.metric, tt.region)
			}
			if got.N != tt.want.N {
				t.Errorf("got N %d, want %d", got.N, tt.want.N)
			}
			for _, f := range []struct {
				name      string
				got, want float64
			}{
				{"mean", got.Mean, tt.want.Mean},
				{"sd", got.SD, tt.want.SD},
				{"median", got.Median, tt.want.Median},
				{"ci low", got.CILow, tt.want.CILow},
				{"ci high", got.CIHigh, tt.want.CIHigh},
			} {
				if !fixture.Same(f.got, f.want, 1e-9) {
					t.Errorf("got %s %v, want %v", f.name, f.got, f.want)
				}
			}
		})
	}
	t.Run("an unknown metric is not found", func(t *testing.T) {
		if _, ok := s.Get("no_such_metric", ""); ok {
			t.Error("got ok, want not found")
		}
	})
	t.Run("nil runs are skipped", func(t *testing.T) {
		s2 := Summarize(res.Regions, append([]*sim.RunResult{nil}, res.Runs...))
		if got, want := len(s2), len(s); got != want {
			t.Fatalf("got %d stats, want %d", got, want)
		}
		if got, want := s2[0].N, 3; got != want {
			t.Errorf("got N %d, want %d", got, want)
		}
	})
	t.Run("no runs give an empty summary", func(t *testing.T) {
		if got := Summarize(res.Regions, []*sim.RunResult{nil}); len(got) != 0 {
			t.Errorf("got %d stats, want 0", len(got))
		}
	})
}
