package chart

import (
	"bytes"
	"errors"
	"image/png"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

// The sweep series feed gonum/plot's lines, scatters and error bars.
var _ interface {
	plotter.XYer
	plotter.YErrorer
} = pointSeries{}

// drawPlot renders p as format and checks that the bytes are a PNG or an SVG
// document.
func drawPlot(t *testing.T, p *plot.Plot, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePlot(&buf, format, p, ChartWidth, ChartHeight); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	switch format {
	case "png":
		if _, err := png.Decode(bytes.NewReader(b)); err != nil {
			t.Fatalf("got undecodable PNG: %v", err)
		}
	case "svg":
		checkSVG(t, b)
	}
	return b
}

func TestSweepSeries(t *testing.T) {
	cfg, ps := sweepFixture("regions.acc.pull")
	// Give the points in reverse order: the series must come by value.
	slices.Reverse(ps)
	t.Run("the accelerator's t50 by swept value", func(t *testing.T) {
		s := sweepSeries(cfg, ps, 0, sim.MetricT50, []int{1}, false)[0]
		// acc's t50 per run: 2, 3, 4 at point 0 and 4, 5, 6 at point 1,
		// mean 3 and 5, sd 1, half-width t(0.975, 2)/√3; point 2 has no
		// runs.
		h := fixture.T975DF2 / math.Sqrt(3)
		want := pointSeries{Region: "acc", X: []float64{0.5, 1}, Mean: []float64{3, 5},
			Low: []float64{3 - h, 5 - h}, High: []float64{3 + h, 5 + h}}
		checkSeries(t, s, want)
		for i := range s.Len() {
			lo, hi := s.YError(i)
			if !fixture.Same(lo, h, 1e-12) || !fixture.Same(hi, h, 1e-12) {
				t.Errorf("got errors %v, %v at %d, want %v both", lo, hi, i, h)
			}
		}
	})
	t.Run("a mean without an interval is kept but draws no error bar", func(t *testing.T) {
		// src's t50 exists in one run per point: 5 and 7.
		s := sweepSeries(cfg, ps, 0, sim.MetricT50, []int{0}, false)[0]
		checkSeries(t, s, pointSeries{Region: "src", X: []float64{0.5, 1}, Mean: []float64{5, 7},
			Low: []float64{math.NaN(), math.NaN()}, High: []float64{math.NaN(), math.NaN()}})
		if got := s.withCI().Len(); got != 0 {
			t.Errorf("got %d error bars, want none", got)
		}
	})
	t.Run("share intervals are clipped to 0..1", func(t *testing.T) {
		// acc's final shares 0.5, 0.6, 0.7: the interval 0.6 ∓ 0.248 fits;
		// src's 0.2, 0.25, 0.15 give 0.2 ∓ 0.124, which fits too, so clip
		// a wider one by hand.
		p := []output.PointSummary{{Point: sim.Point{Values: []float64{1}}, Runs: 2, Summary: output.Summary{
			{Metric: sim.MetricFinalAdoption, Region: "src", N: 2, Mean: 0.1, CILow: -0.5, CIHigh: 0.7},
			{Metric: sim.MetricFinalAdoption, Region: "acc", N: 2, Mean: 0.9, CILow: 0.2, CIHigh: 1.6},
		}}}
		s := sweepSeries(cfg, p, 0, sim.MetricFinalAdoption, []int{0, 1}, true)
		if s[0].Low[0] != 0 || s[0].High[0] != 0.7 || s[1].Low[0] != 0.2 || s[1].High[0] != 1 {
			t.Errorf("got intervals [%v, %v] and [%v, %v], want [0, 0.7] and [0.2, 1]",
				s[0].Low[0], s[0].High[0], s[1].Low[0], s[1].High[0])
		}
	})
}

// checkSeries compares two pointSeries value by value.
func checkSeries(t *testing.T, got, want pointSeries) {
	t.Helper()
	if got.Region != want.Region || got.Len() != want.Len() {
		t.Fatalf("got region %s with %d points, want %s with %d", got.Region, got.Len(), want.Region, want.Len())
	}
	for i := range want.X {
		for _, f := range []struct {
			name      string
			got, want float64
		}{
			{"x", got.X[i], want.X[i]}, {"mean", got.Mean[i], want.Mean[i]},
			{"low", got.Low[i], want.Low[i]}, {"high", got.High[i], want.High[i]},
		} {
			if !fixture.Same(f.got, f.want, 1e-12) {
				t.Errorf("got %s %v at %d, want %v", f.name, f.got, i, f.want)
			}
		}
	}
}

func TestAcceleratorRegions(t *testing.T) {
	cfg := fixture.Result().Config
	if got := output.AcceleratorRegions(&cfg); !slices.Equal(got, []int{1}) {
		t.Errorf("got %v, want [1] (acc)", got)
	}
	cfg.Regions[1].Role = "connector"
	if got := output.AcceleratorRegions(&cfg); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("got %v without an accelerator, want every region [0 1]", got)
	}
}

func TestSweepCharts(t *testing.T) {
	t.Run("one swept parameter gives three charts joined by lines", func(t *testing.T) {
		cfg, ps := sweepFixture("regions.acc.pull")
		charts, err := SweepCharts(cfg, ps)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"sweep-t50-regions.acc.pull",
			"sweep-adoption_at_24-regions.acc.pull",
			"sweep-commercialized_share-regions.acc.pull",
		}
		checkNames(t, charts, want)
		title := charts[0].Plot.Title.Text
		if !strings.HasPrefix(title, "Time to 50% adoption (t50) against regions.acc.pull\nmean and 95% CI over 3 runs per point") {
			t.Errorf("got title %q, want it to name the figure, the parameter and the runs", title)
		}
		if strings.Contains(title, "vary") {
			t.Errorf("got title %q, want no note on other parameters", title)
		}
		if got := charts[2].Plot.Title.Text; !strings.HasPrefix(got, "Accelerator's share of commercialization") {
			t.Errorf("got title %q, want the accelerator's share", got)
		}
		if _, ok := charts[0].Plot.X.Tick.Marker.(plot.ConstantTicks); !ok {
			t.Errorf("got x ticks %T, want a tick at each swept value", charts[0].Plot.X.Tick.Marker)
		}
	})
	t.Run("two swept parameters give a scatter per parameter and say so", func(t *testing.T) {
		cfg, ps := sweepFixture("regions.acc.pull", "diffusion.q")
		charts, err := SweepCharts(cfg, ps)
		if err != nil {
			t.Fatal(err)
		}
		checkNames(t, charts, []string{
			"sweep-t50-regions.acc.pull", "sweep-adoption_at_24-regions.acc.pull", "sweep-commercialized_share-regions.acc.pull",
			"sweep-t50-diffusion.q", "sweep-adoption_at_24-diffusion.q", "sweep-commercialized_share-diffusion.q",
		})
		for _, c := range charts {
			if !strings.Contains(c.Plot.Title.Text, "the other swept parameters vary too") {
				t.Errorf("got title %q for %s, want the note on other parameters", c.Plot.Title.Text, c.Name)
			}
		}
	})
	t.Run("runs that differ between points are given as a range", func(t *testing.T) {
		cfg, ps := sweepFixture("regions.acc.pull")
		ps[1].Runs = 2
		charts, err := SweepCharts(cfg, ps)
		if err != nil {
			t.Fatal(err)
		}
		if got := charts[0].Plot.Title.Text; !strings.Contains(got, "over 2–3 runs per point") {
			t.Errorf("got title %q, want 2–3 runs", got)
		}
	})
	t.Run("a figure without values anywhere gets no chart", func(t *testing.T) {
		cfg, ps := sweepFixture("regions.acc.pull")
		for _, p := range ps {
			for i := range p.Summary {
				if p.Summary[i].Metric == sim.MetricT50 {
					p.Summary[i] = output.Stat{Metric: sim.MetricT50, Region: p.Summary[i].Region, Mean: math.NaN()}
				}
			}
		}
		charts, err := SweepCharts(cfg, ps)
		if err != nil {
			t.Fatal(err)
		}
		checkNames(t, charts, []string{"sweep-adoption_at_24-regions.acc.pull", "sweep-commercialized_share-regions.acc.pull"})
	})
	t.Run("a region without a value anywhere is named in the legend", func(t *testing.T) {
		cfg, ps := sweepFixture("regions.acc.pull")
		for _, p := range ps {
			for i, st := range p.Summary {
				if st.Metric == sim.MetricT50 && st.Region == "src" {
					p.Summary[i] = output.Stat{Metric: sim.MetricT50, Region: "src", Mean: math.NaN()}
				}
			}
		}
		charts, err := SweepCharts(cfg, ps)
		if err != nil {
			t.Fatal(err)
		}
		svg := drawPlot(t, charts[0].Plot, "svg")
		if !bytes.Contains(svg, []byte(">src (Source Hub): no value</text>")) {
			t.Error("got no legend entry \"src (Source Hub): no value\", want one")
		}
	})
	t.Run("a scenario without a sweep is an error", func(t *testing.T) {
		cfg := fixture.Result().Config
		_, err := SweepCharts(&cfg, nil)
		if got, want := fixture.ErrText(err), "sweep charts: the scenario has no sweep"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("a sweep without finished runs is an error", func(t *testing.T) {
		cfg, ps := sweepFixture("regions.acc.pull")
		_, err := SweepCharts(cfg, ps[2:])
		if !errors.Is(err, output.ErrNoRuns) {
			t.Errorf("got %v, want %v", err, output.ErrNoRuns)
		}
	})
}

// checkNames compares the charts' names with want.
func checkNames(t *testing.T, charts []NamedPlot, want []string) {
	t.Helper()
	var got []string
	for _, c := range charts {
		got = append(got, c.Name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("got charts %q, want %q", got, want)
	}
}

func TestValueTicks(t *testing.T) {
	tests := []struct {
		name  string
		xs    []float64
		ticks bool
	}{
		{"a few values are each marked", []float64{0.05, 0.2, 0.35, 0.5}, true},
		{"one value is left to the default", []float64{1}, false},
		{"many values are left to the default", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, false},
		{"crowded values are left to the default", []float64{0.001, 0.01, 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := valueTicks([]pointSeries{{X: tt.xs}, {X: tt.xs}})
			ct, ok := got.(plot.ConstantTicks)
			if ok != tt.ticks {
				t.Fatalf("got %T, want constant ticks %v", got, tt.ticks)
			}
			if ok && (len(ct) != len(tt.xs) || ct[1].Label != strconv.FormatFloat(tt.xs[1], 'g', -1, 64)) {
				t.Errorf("got ticks %v, want one labelled tick per value %v", ct, tt.xs)
			}
		})
	}
}

func TestSweepChartsRender(t *testing.T) {
	for _, paths := range [][]string{{"regions.acc.pull"}, {"regions.acc.pull", "diffusion.q"}} {
		cfg, ps := sweepFixture(paths...)
		charts, err := SweepCharts(cfg, ps)
		if err != nil {
			t.Fatal(err)
		}
		again, err := SweepCharts(cfg, ps)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range charts {
			t.Run(c.Name+" of "+strings.Join(paths, " and ")+" renders the same twice", func(t *testing.T) {
				if i == 0 {
					drawPlot(t, c.Plot, "png") // PNG is slow under -race: once is enough
				}
				a := drawPlot(t, c.Plot, "svg")
				// The same plot drawn again (as the command does for PNG and
				// SVG) and a fresh one give the same bytes.
				if b := drawPlot(t, c.Plot, "svg"); !bytes.Equal(a, b) {
					t.Error("got different SVG drawing the same plot twice, want identical")
				}
				if b := drawPlot(t, again[i].Plot, "svg"); !bytes.Equal(a, b) {
					t.Error("got different SVG for a fresh chart, want identical")
				}
			})
		}
	}
}

// TestFitAxisFitsTheData checks that a sweep chart's vertical axis fits
// its data: a t50 that moves from 48 to 51 months fills the chart rather
// than lying flat at the top of an axis from 0, and an axis of data that
// are not negative starts at 0 only when the margin would cross it.
func TestFitAxisFitsTheData(t *testing.T) {
	tests := []struct {
		name              string
		bottom, top, room float64
		wantLo, wantHi    float64
	}{
		{"t50 of 48 to 51", 48, 51, 0, 47.7, 51.3},
		{"room for the legend", 48, 51, 0.5, 47.7, 54.9},
		{"shares near 0 stop at 0", 0.01, 0.31, 0, 0, 0.34},
		{"negative differences", -3, 1, 0, -3.4, 1.4},
		{"one value", 50, 50, 0, 49.5, 50.5},
		{"no data", math.Inf(1), math.Inf(-1), 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := fitAxis(tt.bottom, tt.top, tt.room)
			if math.Abs(lo-tt.wantLo) > 1e-9 || math.Abs(hi-tt.wantHi) > 1e-9 {
				t.Errorf("got [%g, %g], want [%g, %g]", lo, hi, tt.wantLo, tt.wantHi)
			}
			if lo > tt.bottom || hi < tt.top {
				t.Errorf("[%g, %g] does not hold the data [%g, %g]", lo, hi, tt.bottom, tt.top)
			}
		})
	}
}
