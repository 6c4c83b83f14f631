package report

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/output/chart"
	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

var reportOut = flag.String("report-out", "", "also write the test reports into this folder, to look at")

// svgOf renders a chart as SVG.
func svgOf(t *testing.T, make func() (*plot.Plot, error)) []byte {
	t.Helper()
	p, err := make()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := chart.WritePlot(&b, "svg", p, chart.ChartWidth, chart.ChartHeight); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// runReport returns the Data of the fixture as a run gives it.
func runReport(t *testing.T) Data {
	t.Helper()
	res := fixture.Result()
	res.Config.Description = "A toy of two regions."
	res.Config.Diffusion = sim.Diffusion{Mixing: sim.MixingFixed, K: 4, Q: 0.3}
	res.Config.Policies = []sim.Policy{
		{At: 2, Name: "open the border", Set: map[string]float64{"links.src-acc.friction": 0.05, "regions.acc.pull": 2}},
	}
	res.Config.Links = []sim.Link{{Between: [2]string{"src", "acc"}, LinkParams: sim.LinkParams{Friction: 0.2, Coupling: 0.5}}}
	res.Config.Regions[0].Cities = []sim.City{{ID: "lab-town", Labs: 3, Firms: 10, Research: 0.1, Transform: 0.2, Capability: sim.Capability{Mean: 0.5, Spread: 0.1}}}
	res.Config.Regions[1].Cities = []sim.City{{ID: "factory-town", Name: "Factory Town", Firms: 20, Transform: 0.6, Capability: sim.Capability{Mean: 0.7, Spread: 0.2}}}
	return Data{
		Scenario: &res.Config,
		Version:  "0.0.0-test",
		Summary:  output.Summarize(res.Regions, res.Runs),
		Plots: []Plot{
			{Kind: Adoption, Name: "adoption", SVG: svgOf(t, func() (*plot.Plot, error) { return chart.AdoptionChart(res) })},
			{Kind: Pipeline, Name: "pipeline", SVG: svgOf(t, func() (*plot.Plot, error) { return chart.PipelineChart(res) })},
			{Kind: Transfer, Name: "transfer", SVG: svgOf(t, func() (*plot.Plot, error) { return chart.TransferChart(res) })},
		},
	}
}

// renderReport writes r and fails the test on an error.
func renderReport(t *testing.T, r Data) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, r); err != nil {
		t.Fatal(err)
	}
	if *reportOut != "" {
		name := strings.NewReplacer("/", "-", " ", "-").Replace(t.Name()) + ".html"
		if err := os.WriteFile(filepath.Join(*reportOut, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// mustContain fails for each want that page lacks.
func mustContain(t *testing.T, page string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("report lacks %q", w)
		}
	}
}

func TestWriteReportRun(t *testing.T) {
	page := renderReport(t, runReport(t))
	mustContain(t, page,
		"<title>toy · triad report</title>",
		"A toy of two regions.",
		`id="results"`, `id="plots"`, `id="transfer"`, `id="policies"`, `id="parameters"`,
		"Source Hub", "accelerator",
		// acc commercialized 2, 3 and 3 (the fixture's transfer
		// columns): mean 2.7, sd 0.58, 95 % CI 2.7 ∓ 4.30·0.58/√3.
		"<span class=\"m\">2.7</span><span class=\"ci\">1.2–4.1</span>",
		// src's commercialized share 0.25, 0.33, 0 : the interval is
		// clipped at 0 %, and a negative bound is written with "to".
		"<span class=\"m\">19.4 %</span><span class=\"ci\">0.0–62.5 %</span>",
		"−0.8 to 2.1",
		// t50 of src exists in one run of three.
		"in 1 of 3 runs",
		"step 2</span> · open the border",
		"links.src-acc.friction → 0.05",
		"Factory Town", "0.7 ± 0.2",
		"triad 0.0.0-test",
	)
	if n := strings.Count(page, "<svg"); n != 3 {
		t.Errorf("got %d inline <svg> elements, want 3", n)
	}
	for _, bad := range []string{"<?xml", "<!--", "ZgotmplZ", "<script", "http://", "https://"} {
		if bad == "http://" {
			// The SVG namespace is the only URL allowed.
			page = strings.ReplaceAll(page, `xmlns="http://www.w3.org/2000/svg"`, "")
			page = strings.ReplaceAll(page, `xmlns:xlink="http://www.w3.org/1999/xlink"`, "")
		}
		if strings.Contains(page, bad) {
			t.Errorf("report contains %q", bad)
		}
	}
}

func TestWriteReportDeterministic(t *testing.T) {
	a, b := renderReport(t, runReport(t)), renderReport(t, runReport(t))
	if a != b {
		t.Error("the same data gave two different pages")
	}
}

func TestWriteReportEscapes(t *testing.T) {
	r := runReport(t)
	evil := `<script>alert(1)</script><img src=x onerror=alert(2)>"'&`
	cfg := *r.Scenario
	cfg.Description = evil
	cfg.Regions = append([]sim.Region(nil), cfg.Regions...)
	cfg.Regions[0].Name = evil
	cfg.Regions[1].Role = evil
	cfg.Policies = []sim.Policy{{At: 1, Name: evil, Set: map[string]float64{evil: 1}}}
	r.Scenario = &cfg
	r.Version = evil
	page := renderReport(t, r)
	for _, bad := range []string{"<script", "<img"} {
		if strings.Contains(page, bad) {
			t.Errorf("report contains %q from the scenario's text", bad)
		}
	}
	mustContain(t, page, "&lt;script&gt;alert(1)&lt;/script&gt;")
}

func TestWriteReportSweep(t *testing.T) {
	cfg, points, runs := fixture.Sweep("regions.acc.pull")
	ps := output.SummarizePoints(cfg.RegionIDs(), points, runs)
	cfg.Sweep.Params[0].Values = []float64{0.5, 1, 1.5}
	charts, err := chart.SweepCharts(cfg, ps)
	if err != nil {
		t.Fatal(err)
	}
	r := Data{Scenario: cfg, Sweep: &Sweep{Paths: cfg.SweepPaths(), Points: ps}}
	for _, c := range charts {
		metric, path, _ := strings.Cut(strings.TrimPrefix(c.Name, "sweep-"), "-")
		r.Plots = append(r.Plots, Plot{Kind: SweepFigure, Name: c.Name, Metric: metric, Path: path, SVG: svgOf(t, func() (*plot.Plot, error) { return c.Plot, nil })})
	}
	res := fixture.Result()
	r.Plots = append(r.Plots, Plot{Kind: PointAdoption, Name: "p000-adoption", SVG: svgOf(t, func() (*plot.Plot, error) { return chart.AdoptionChart(res) })})
	page := renderReport(t, r)
	mustContain(t, page,
		`id="sweep"`, "Adoption 24 steps after launch (% of firms) at each point", "0.5, 1, 1.5",
		"Time to 50 % adoption against regions.acc.pull",
		"Adoption at point 0: regions.acc.pull = 0.5",
	)
	if strings.Contains(page, `id="results"`) || strings.Contains(page, `id="transfer"`) {
		t.Error("a sweep's report has the single run's results or transfer sections")
	}
	if n, want := strings.Count(page, "<svg"), len(charts)+1; n != want {
		t.Errorf("got %d inline <svg> elements, want %d", n, want)
	}
}

func TestWriteReportCompare(t *testing.T) {
	c, err := output.Compare(fixture.CompareSets[output.RunSet](), nil)
	if err != nil {
		t.Fatal(err)
	}
	curves := Plot{Kind: CompareCurves, Name: "compare", SVG: svgOf(t, func() (*plot.Plot, error) { return chart.CompareChart(fixture.CompareSets[output.RunSet]()) })}
	t.Run("without a scenario", func(t *testing.T) {
		page := renderReport(t, Data{Compare: &c, Plots: []Plot{curves}})
		mustContain(t, page, `id="comparison"`, "Comparing base, slow, same.", "slow − base", "t50 (steps)", "adoption at the last step, over products of every age (% of firms)",
			// slow halves the adoption shares: acc's final adoption
			// falls by 30 points, an interval below zero.
			"<span class=\"m\">−30.0 %</span><span class=\"ci\">−")
		if strings.Contains(page, `id="parameters"`) {
			t.Error("a report without a scenario has a parameters section")
		}
		if n := strings.Count(page, "<svg"); n != 1 {
			t.Errorf("got %d inline <svg> elements, want 1", n)
		}
	})
	t.Run("beside a run", func(t *testing.T) {
		r := runReport(t)
		r.Compare = &c
		r.Plots = append(r.Plots, curves)
		page := renderReport(t, r)
		mustContain(t, page, `id="comparison"`, `id="results"`, `id="parameters"`)
	})
}

func TestWriteReportBadInput(t *testing.T) {
	tests := []struct {
		name string
		r    Data
		want string
	}{
		{"compare without sets", Data{Compare: &output.Comparison{}}, "no sets"},
		{"plot not svg", Data{Plots: []Plot{{Kind: Adoption, Name: "adoption", SVG: []byte("PNG")}}}, "plot adoption: not an svg file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Write(&bytes.Buffer{}, tt.r)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

func TestInlineSVG(t *testing.T) {
	const head = `<?xml version="1.0"?>
<!-- Generated by SVGo -->
`
	ok := `<svg width="10pt" height="10pt" viewBox="0 0 10 10" xmlns="http://www.w3.org/2000/svg"><g><path d="M0,0L1,1" style="fill:#FFF"/><text x="1" y="1">a &lt;b&gt; onload=x</text></g></svg>`
	got, err := inlineSVG([]byte(head + ok + "\n"))
	if err != nil {
		t.Fatalf("plain svg: %v", err)
	}
	if string(got) != ok {
		t.Errorf("got %q, want the <svg> element alone %q", got, ok)
	}
	bad := []struct{ name, svg, want string }{
		{"script", `<svg><script>alert(1)</script></svg>`, "<script>"},
		{"foreign object", `<svg><foreignObject><div/></foreignObject></svg>`, "<foreignObject>"},
		{"event handler", `<svg onload="alert(1)"></svg>`, "event handler"},
		{"outside link", `<svg><image href="https://example.org/x.png"/></svg>`, "outside resource"},
		{"javascript link", `<svg><image xlink:href="javascript:alert(1)" xmlns:xlink="http://www.w3.org/1999/xlink"/></svg>`, "outside resource"},
		{"outside url in style", `<svg><path style="fill:url(https://example.org/p)"/></svg>`, "outside resource"},
		{"unclosed", `<svg><g>`, "svg"},
		{"no svg", `<html></html>`, "not an svg file"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := inlineSVG([]byte(tt.svg))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

func TestNiceStep(t *testing.T) {
	for _, tt := range []struct{ n, want int }{{0, 1}, {5, 1}, {10, 1}, {12, 2}, {60, 10}, {120, 20}, {1000, 100}, {1100, 200}} {
		if got := niceStep(tt.n); got != tt.want {
			t.Errorf("niceStep(%d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}

func TestPointFiguresHaveTitles(t *testing.T) {
	for _, m := range pointFigures {
		if output.Metric(m).PointsTitle == "" {
			t.Errorf("%s heads a table of sweep points but has no PointsTitle in the catalogue", m)
		}
	}
}

// TestFiguresThatAreNotFiniteAreMissing: the page shows what the JSON files
// hold, where a figure that is not finite is null, so a report written from
// memory and one rebuilt from the files are the same.
func TestFiguresThatAreNotFiniteAreMissing(t *testing.T) {
	c, err := output.Compare(fixture.CompareSets[output.RunSet](), nil)
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	var asFiles output.Comparison = c
	asFiles.Rows = append([]output.CompareRow(nil), c.Rows...)
	inf := c
	inf.Rows = append([]output.CompareRow(nil), c.Rows...)
	for i, r := range c.Rows {
		infRow, nanRow := r, r
		infRow.Diffs = append([]output.Difference(nil), r.Diffs...)
		nanRow.Diffs = append([]output.Difference(nil), r.Diffs...)
		infRow.Diffs[0].Effect, nanRow.Diffs[0].Effect = math.Inf(1), nan
		inf.Rows[i], asFiles.Rows[i] = infRow, nanRow
	}
	got := renderReport(t, Data{Compare: &inf})
	if want := renderReport(t, Data{Compare: &asFiles}); got != want {
		t.Error("an infinite effect size shows otherwise than a missing one")
	}
	if strings.Contains(got, "+inf") {
		t.Error("the page shows an infinite effect size")
	}
}
