package chart

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

// morrisFixture is fixture.MorrisJSON, read.
func morrisFixture(t *testing.T) output.SensitivityResult {
	t.Helper()
	r, err := output.ReadSensitivityJSON(bytes.NewReader(fixture.MorrisJSON))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSensitivityDrawingsRender draws every chart of a Morris and a Sobol
// result as PNG and SVG, and checks the series of the Morris chart.
func TestSensitivityDrawingsRender(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every sensitivity chart; make test runs it in the pass without -race")
	}
	cfg := &sim.Config{Regions: []sim.Region{{ID: "src", Name: "Source Hub"}, {ID: "acc"}}}
	m := morrisFixture(t)
	sobol := output.SensitivityResult{Method: sim.DesignSobol, Samples: 64, Params: m.Params}
	for _, p := range m.Params {
		sobol.Rows = append(sobol.Rows, output.SensitivityRow{Metric: "t50", Region: "src", Param: p.Path, Index: output.IndexS1, Estimate: output.Estimate{Value: 0.3, CILow: 0.2, CIHigh: 0.4}, NoiseShare: 0.01},
			output.SensitivityRow{Metric: "t50", Region: "src", Param: p.Path, Index: output.IndexST, Estimate: output.Estimate{Value: 0.4, CILow: 0.3, CIHigh: 0.5}, NoiseShare: 0.01})
	}
	for _, tt := range []struct {
		r     output.SensitivityResult
		names []string
	}{
		{m, []string{"sensitivity-t50-src", "sensitivity-t50-acc"}},
		{sobol, []string{"sensitivity-t50-src"}},
	} {
		ds := SensitivityDrawings(cfg, tt.r)
		if len(ds) != len(tt.names) {
			t.Fatalf("%s: got %d charts, want %v", tt.r.Method, len(ds), tt.names)
		}
		for i, d := range ds {
			if d.Name != tt.names[i] {
				t.Errorf("%s: chart %d is %s, want %s", tt.r.Method, i, d.Name, tt.names[i])
			}
			for _, format := range []string{"png", "svg"} {
				var a, b bytes.Buffer
				if err := d.Write(&a, format); err != nil {
					t.Fatalf("%s: %v", d.Name, err)
				}
				if format == "svg" {
					checkSVG(t, a.Bytes())
				} else if _, err := png.Decode(bytes.NewReader(a.Bytes())); err != nil {
					t.Fatalf("%s: undecodable PNG: %v", d.Name, err)
				}
				if err := d.Write(&b, format); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a.Bytes(), b.Bytes()) {
					t.Errorf("%s.%s: two writes differ", d.Name, format)
				}
			}
		}
	}
	pts := morrisSeries(m, m.Figures()[0])
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

func TestSensitivityName(t *testing.T) {
	for _, tt := range []struct{ metric, region, want string }{
		{"t50", "central", "sensitivity-t50-central"},
		{"final_adoption", "", "sensitivity-final_adoption"},
	} {
		if got := SensitivityName(tt.metric, tt.region); got != tt.want {
			t.Errorf("SensitivityName(%q, %q) = %q, want %q", tt.metric, tt.region, got, tt.want)
		}
	}
}
