package output

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/triad-sim/triad/sim"
)

// morrisFixture is a hand-made Morris result: t50 of two regions over
// three parameters, with a missing interval and a censored figure.
func morrisFixture() SensitivityResult {
	nan := math.NaN()
	r := SensitivityResult{Method: sim.DesignMorris, Samples: 10, Levels: 4, Replicates: 2,
		Params:   []SensitivityParam{{"diffusion.q", 0.1, 0.4}, {"regions.acc.reach", 0.1, 0.5}, {"links.src-acc.friction", 0, 0.5}},
		Censored: []SkippedFigure{{"t50", "acc", "not reached at 2 of 40 points, counted there as the run's 4 steps"}}}
	add := func(region, param string, mustar, mu, sigma Estimate, noise float64) {
		r.Rows = append(r.Rows,
			SensitivityRow{"t50", region, param, IndexMuStar, mustar, noise},
			SensitivityRow{"t50", region, param, IndexMu, mu, noise},
			SensitivityRow{"t50", region, param, IndexSigma, sigma, noise})
	}
	add("src", "diffusion.q", Estimate{40, 35, 45}, Estimate{-40, -45, -35}, Estimate{5, 3, 7}, 0.02)
	add("src", "regions.acc.reach", Estimate{1, 0.5, 1.5}, Estimate{0.2, -0.5, 1}, Estimate{1, 0.5, 1.5}, 0.02)
	add("src", "links.src-acc.friction", Estimate{12, 9, 15}, Estimate{12, 9, 15}, Estimate{2, 1, 3}, 0.02)
	add("acc", "diffusion.q", Estimate{30, nan, nan}, Estimate{-30, nan, nan}, Estimate{4, nan, nan}, nan)
	add("acc", "regions.acc.reach", Estimate{0, 0, 0}, Estimate{0, 0, 0}, Estimate{0, 0, 0}, nan)
	add("acc", "links.src-acc.friction", Estimate{1, 0, 2}, Estimate{1, 0, 2}, Estimate{0, 0, 0}, nan)
	return r
}

func TestSensitivityFilesRoundTrip(t *testing.T) {
	r := morrisFixture()
	var csvOut, jsonOut bytes.Buffer
	if err := WriteSensitivityCSV(&csvOut, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csvOut.String()), "\n")
	if lines[0] != "method,metric,region,parameter,index,value,ci_low,ci_high,noise_share" || len(lines) != 1+len(r.Rows) {
		t.Fatalf("CSV:\n%s", csvOut.String())
	}
	if want := "morris,t50,acc,diffusion.q,mu_star,30,,,"; lines[10] != want {
		t.Errorf("row of a missing interval: got %q, want %q", lines[10], want)
	}
	if err := WriteSensitivityJSON(&jsonOut, r); err != nil {
		t.Fatal(err)
	}
	back, err := ReadSensitivityJSON(jsonOut.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := WriteSensitivityJSON(&again, back); err != nil {
		t.Fatal(err)
	}
	if again.String() != jsonOut.String() {
		t.Errorf("JSON does not read back to the same bytes:\n%s\nwant\n%s", again.String(), jsonOut.String())
	}
}

func TestSensitivityDrivers(t *testing.T) {
	fs := morrisFixture().Drivers()
	if len(fs) != 2 {
		t.Fatalf("got %d figures, want 2", len(fs))
	}
	src := fs[0]
	if src.Region != "src" || src.Drivers != 2 || src.Ranked[0].Param != "diffusion.q" || src.Ranked[1].Param != "links.src-acc.friction" {
		t.Errorf("src: got %+v, want q then friction as its 2 drivers", src)
	}
	name := func(id string) string { return map[string]string{"src": "Source Hub", "acc": "Accelerator Hub"}[id] }
	want := "t50 of Source Hub: driven by diffusion.q (μ* 40.0 steps) and links.src-acc.friction (12.0); then, less than a quarter as much, regions.acc.reach (1.0). Replicate noise is 2 % of the spread."
	if got := src.Sentence(name); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := fs[1].Sentence(name); !strings.Contains(got, "driven by diffusion.q (μ* 30.0 steps); then, less than a quarter as much, links.src-acc.friction (1.0); the remaining one less still.") || strings.Contains(got, "noise") {
		t.Errorf("acc: got %q, want q alone and no noise share", got)
	}
	sobol := SensitivityResult{Method: sim.DesignSobol, Params: []SensitivityParam{{"a", 0, 1}, {"b", 0, 1}}, Rows: []SensitivityRow{
		{"final_adoption", "", "a", IndexS1, Estimate{0.02, 0, 0.05}, 0.1}, {"final_adoption", "", "a", IndexST, Estimate{0.05, 0.02, 0.08}, 0.1},
		{"final_adoption", "", "b", IndexS1, Estimate{0.01, 0, 0.03}, 0.1}, {"final_adoption", "", "b", IndexST, Estimate{0.03, 0.01, 0.05}, 0.1},
	}}
	f := sobol.Drivers()[0]
	if got := f.Sentence(name); got != "final adoption: no parameter stands out; the largest is a (ST 0.05). Replicate noise is 10 % of the spread." {
		t.Errorf("sobol: got %q", got)
	}
}

// TestSensitivityChartsRender draws every chart of a Morris and a Sobol
// result as PNG and SVG, and checks the series of the Morris chart.
func TestSensitivityChartsRender(t *testing.T) {
	cfg := &sim.Config{Regions: []sim.Region{{ID: "src", Name: "Source Hub"}, {ID: "acc"}}}
	m := morrisFixture()
	sobol := SensitivityResult{Method: sim.DesignSobol, Samples: 64, Params: m.Params}
	for _, p := range m.Params {
		sobol.Rows = append(sobol.Rows, SensitivityRow{"t50", "src", p.Path, IndexS1, Estimate{0.3, 0.2, 0.4}, 0.01},
			SensitivityRow{"t50", "src", p.Path, IndexST, Estimate{0.4, 0.3, 0.5}, 0.01})
	}
	for _, r := range []SensitivityResult{m, sobol} {
		charts := SensitivityCharts(cfg, r)
		if r.Method == sim.DesignMorris && (len(charts) != 2 || charts[0].Name != "sensitivity-t50-src" || charts[1].Name != "sensitivity-t50-acc") {
			t.Fatalf("Morris charts: %v", charts)
		}
		for _, c := range charts {
			for _, format := range []string{"png", "svg"} {
				p, err := c.Make()
				if err != nil {
					t.Fatalf("%s: %v", c.Name, err)
				}
				drawPlot(t, p, format)
			}
		}
	}
	pts := morrisSeries(m, m.figures()[0])
	if pts.Len() != 3 || pts.Labels[2] != "links.src-acc.friction" {
		t.Fatalf("got %d points %v, want 3", pts.Len(), pts.Labels)
	}
	if x, y := pts.XY(0); x != 40 || y != 5 {
		t.Errorf("q at (%v, %v), want (40, 5)", x, y)
	}
	if lo, hi := pts.XError(0); lo != 5 || hi != 5 {
		t.Errorf("q's whisker %v, %v; want 5, 5", lo, hi)
	}
}

// TestReportSensitivitySection checks that the report says in words which
// parameters drive each figure and lists what was censored.
func TestReportSensitivitySection(t *testing.T) {
	var j bytes.Buffer
	if err := WriteSensitivityJSON(&j, morrisFixture()); err != nil {
		t.Fatal(err)
	}
	cfg := &sim.Config{Name: "toy", Regions: []sim.Region{{ID: "src", Name: "Source Hub"}, {ID: "acc", Name: "Accelerator Hub"}}}
	var page bytes.Buffer
	if err := WriteReport(&page, ReportData{Scenario: cfg, Sensitivity: j.Bytes()}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<section id="sensitivity"`, "Which assumption drives the answer?",
		"t50 of Source Hub: driven by diffusion.q (μ* 40.0 steps) and links.src-acc.friction (12.0)",
		"t50 of Accelerator Hub was not reached at 2 of 40 points",
		"diffusion.q from 0.1 to 0.4",
	} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

func TestSentenceFlagsNoise(t *testing.T) {
	f := FigureDrivers{Metric: "lag_median", Index: IndexMuStar, Ranked: []Ranked{{"a", Estimate{2, 1, 3}}}, Drivers: 1, NoiseShare: 0.9}
	want := "median lag: driven by a (μ* 2.0 steps). Replicate noise is 90 % of the spread: the ranking may be mostly noise; more replicates would sharpen it."
	if got := f.Sentence(func(s string) string { return s }); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
