package output

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

var power = flag.Bool("power", false, "print the power table of docs/CI.md (three-hubs' baseline)")

func TestSidak(t *testing.T) {
	// 1 − (1 − 0.01)^(1/64) = 1.5702e-4; with one metric the rate itself.
	if got := sidak(0.01, 64); !fixture.Same(got, 1-math.Pow(0.99, 1.0/64), 1e-15) {
		t.Errorf("got %v, want %v", got, 1-math.Pow(0.99, 1.0/64))
	}
	if got := sidak(0.01, 1); !fixture.Same(got, 0.01, 1e-15) {
		t.Errorf("got %v, want 0.01", got)
	}
}

func TestCheckLimit(t *testing.T) {
	base := BaselineMetric{Metric: sim.MetricT50, Region: "gba", N: 20, Mean: 40, SD: 1}
	now := Stat{N: 20, Mean: 40, SD: 1}
	t.Run("the limit is the Welch t quantile times the standard error", func(t *testing.T) {
		lim, se, k := limit(Tolerance{}, base, now, 0.001)
		// Equal sds and sizes: SE = √(2/20), DF = 38.
		want := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 38}.Quantile(1-0.0005) * math.Sqrt(0.1)
		if !fixture.Same(se, math.Sqrt(0.1), 1e-12) || !fixture.Same(lim, want, 1e-9) || !fixture.Same(k*se, lim, 1e-12) {
			t.Errorf("got limit %v (se %v, k %v), want %v", lim, se, k, want)
		}
	})
	t.Run("the floor holds where there is no spread", func(t *testing.T) {
		b, n := base, now
		b.SD, n.SD = 0, 0
		if lim, _, _ := limit(Tolerance{}, b, n, 0.001); lim != 1 {
			t.Errorf("got limit %v, want the floor of one step", lim)
		}
	})
	t.Run("a tolerance of the metric's own wins over the defaults", func(t *testing.T) {
		z, rel := 2.0, 0.5
		b, n := base, now
		b.Z = &z
		b.SD, n.SD = 3, 3 // SE = √(18/20)
		if lim, _, _ := limit(Tolerance{RelTol: &rel}, b, n, 0.001); lim != 20 {
			t.Errorf("got limit %v, want rel_tol × 40 = 20", lim)
		}
		if lim, _, _ := limit(Tolerance{}, b, n, 0.001); !fixture.Same(lim, 2*math.Sqrt(0.9), 1e-12) {
			t.Errorf("got limit %v, want z × SE", lim)
		}
	})
}

// TestCheckFalseAlarms simulates checks of an unchanged model: 64 metrics
// of 20 normal runs each, drawn twice (baseline and re-run). The share of
// checks with any failure must be near the family-wise rate of 1 % (the
// metrics here are independent, Šidák's exact case). 1,000 checks give a
// standard error of 0.31 %: the bounds 0.2 % and 2.5 % are 2.6 and 4.8 SE
// away (and the draws are seeded, so the test cannot flip).
func TestCheckFalseAlarms(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 1,000 checks")
	}
	src := rand.New(rand.NewPCG(3, 11))
	const metrics, n, checks = 64, 20, 1000
	summary := func(sd float64) Summary {
		s := make(Summary, metrics)
		for m := range s {
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = 100 + sd*src.NormFloat64()
			}
			s[m] = describe(xs)
			s[m].Metric, s[m].Region = sim.MetricDiscovered, fmt.Sprint(m)
		}
		return s
	}
	alarms := 0
	for range checks {
		b := MakeBaseline([]PointSummary{{Summary: summary(10)}})
		if Check(b, []PointSummary{{Summary: summary(10)}}).Failed > 0 {
			alarms++
		}
	}
	rate := float64(alarms) / checks
	t.Logf("false-alarm rate %.4f over %d checks", rate, checks)
	if rate < 0.002 || rate > 0.025 {
		t.Errorf("got a false-alarm rate of %.4f over %d checks, want about %g", rate, checks, DefaultFalseAlarm)
	}
}

// TestPowerTable computes the power table of docs/CI.md from the committed
// baseline of three-hubs: for each headline metric the limit a re-run with
// the same number of runs and the same spread is held to, and the smallest
// change that fails the check with 80 % probability, limit + t₀.₈·SE
// (normal approximation of the shifted difference). With -power it prints
// the table:
//
//	go test ./output -run TestPowerTable -power
func TestPowerTable(t *testing.T) {
	f, err := os.Open("../testdata/baselines/three-hubs.json")
	if err != nil {
		t.Skip("no committed baseline of three-hubs:", err)
	}
	b, err := ReadBaseline(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	alpha := sidak(b.FalseAlarm, len(b.Metrics))
	var out strings.Builder
	fmt.Fprintf(&out, "| metric | region | baseline mean | sd | n | limit | smallest change caught (80 %%) | as %% of the mean |\n")
	fmt.Fprintf(&out, "| --- | --- | --- | --- | --- | --- | --- | --- |\n")
	rows := 0
	for _, m := range b.Metrics {
		info := Metric(m.Metric)
		if !info.Headline && m.Metric != sim.MetricFinalAdoption && m.Region != "" {
			continue
		}
		if m.Region == "" && m.Metric != sim.MetricCommercialized && m.Metric != sim.MetricDiscovered && m.Metric != sim.MetricLagMedian {
			continue
		}
		same := Stat{N: m.N, Mean: m.Mean, SD: m.SD}
		lim, se, _ := limit(b.Defaults, m, same, alpha)
		detect := lim
		if se > 0 {
			detect = lim + distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 2 * float64(m.N-1)}.Quantile(0.8)*se
		}
		if !(detect > 0) || math.IsInf(detect, 0) {
			t.Errorf("%s %s: smallest change caught %v, want a positive number", m.Metric, m.Region, detect)
		}
		region := m.Region
		if region == "" {
			region = "all"
		}
		verb := info.verb()
		fmt.Fprintf(&out, "| %s | %s | "+verb+" | "+verb+" | %d | "+verb+" | "+verb+" | %.0f %% |\n",
			info.TableLabel(), region, m.Mean, m.SD, m.N, lim, detect, 100*detect/math.Abs(m.Mean))
		rows++
	}
	if rows == 0 {
		t.Fatal("no headline metric in the baseline")
	}
	if *power {
		fmt.Printf("False-alarm rate %g over %d metrics: each held at %.2g (two-sided).\n\n%s", b.FalseAlarm, len(b.Metrics), alpha, out.String())
	}
}
