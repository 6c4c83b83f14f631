package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

var charts = []struct {
	name string
	make func(*sim.Result) (*plot.Plot, error)
}{
	{"adoption", AdoptionChart},
	{"pipeline", PipelineChart},
	{"transfer", TransferChart},
}

// render draws a fresh chart of res as format.
func render(t *testing.T, makeChart func(*sim.Result) (*plot.Plot, error), res *sim.Result, format string) []byte {
	t.Helper()
	p, err := makeChart(res)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WritePlot(&buf, format, p, ChartWidth, ChartHeight); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// checkSVG fails unless b is a well-formed SVG document.
func checkSVG(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("<?xml")) && !bytes.HasPrefix(b, []byte("<svg")) {
		t.Fatalf("got SVG starting %q, want <?xml or <svg", b[:min(len(b), 20)])
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	sawSVG := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("got malformed SVG: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "svg" {
			sawSVG = true
		}
	}
	if !sawSVG {
		t.Error("got no <svg> element, want one")
	}
}

func TestChartsRender(t *testing.T) {
	res := fixture.Result()
	dir := t.TempDir()
	for _, c := range charts {
		for _, ext := range []string{".png", ".svg"} {
			t.Run(c.name+ext+" renders and parses", func(t *testing.T) {
				path := filepath.Join(dir, c.name+ext)
				format, err := PlotFormat(path)
				if err != nil {
					t.Fatal(err)
				}
				p, err := c.make(res)
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				if err := WritePlot(&buf, format, p, ChartWidth, ChartHeight); err != nil {
					t.Fatal(err)
				}
				b := buf.Bytes()
				if len(b) == 0 {
					t.Fatal("got an empty file, want a chart")
				}
				switch format {
				case "png":
					if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
						t.Fatalf("got PNG starting %q, want the PNG signature", b[:min(len(b), 8)])
					}
					img, err := png.Decode(bytes.NewReader(b))
					if err != nil {
						t.Fatalf("got undecodable PNG: %v", err)
					}
					// 16 cm at 200 dpi.
					if got, want := img.Bounds().Dx(), 1260; got < want-1 || got > want+1 {
						t.Errorf("got width %d px, want %d±1", got, want)
					}
				case "svg":
					checkSVG(t, b)
				}
			})
		}
	}
}

func TestChartsDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every chart twice in both formats; make test runs it in the pass without -race")
	}
	for _, c := range charts {
		for _, format := range []string{"svg", "png"} {
			t.Run(c.name+" "+format+" renders to the same bytes twice", func(t *testing.T) {
				a := render(t, c.make, fixture.Result(), format)
				b := render(t, c.make, fixture.Result(), format)
				if !bytes.Equal(a, b) {
					t.Errorf("got %d and %d bytes that differ, want identical renders", len(a), len(b))
				}
			})
		}
	}
}

func TestChartsWithoutRuns(t *testing.T) {
	res := fixture.Result()
	res.Runs = []*sim.RunResult{nil, nil}
	for _, c := range charts {
		t.Run(c.name+" chart of no runs is an error", func(t *testing.T) {
			_, err := c.make(res)
			if !errors.Is(err, output.ErrNoRuns) {
				t.Errorf("got error %v, want %v", err, output.ErrNoRuns)
			}
		})
	}
}

func TestPlotFormat(t *testing.T) {
	tests := []struct {
		name, file, want string
		wantErr          bool
	}{
		{"png by extension", "out/adoption.png", "png", false},
		{"svg in upper case", "out/ADOPTION.SVG", "svg", false},
		{"pdf is not supported", "out/adoption.pdf", "", true},
		{"no extension is an error", "out/adoption", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PlotFormat(tt.file)
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("writing an unknown format is an error", func(t *testing.T) {
		p, err := PipelineChart(fixture.Result())
		if err != nil {
			t.Fatal(err)
		}
		if err := WritePlot(io.Discard, "gif", p, ChartWidth, ChartHeight); err == nil {
			t.Error("got no error, want one")
		}
	})
}

// The series types of package output feed gonum/plot directly.
var (
	_ plotter.XYer       = output.Band{}
	_ plotter.XYer       = output.Envelope{}
	_ plotter.XYer       = output.Series{}
	_ plotter.GridXYZ    = output.TransferGrid{}
	_ plotter.XYLabeller = cellLabels{}
)

func TestCellLabelsSitOnTheirCells(t *testing.T) {
	l := cellLabels{output.MeanTransfer(fixture.Result()), 2}
	if got, want := l.Len(), 4; got != want {
		t.Fatalf("got %d labels, want %d", got, want)
	}
	x, y := l.XY(3)
	if x != 1 || y != 1 || l.Label(3) != "2.0" {
		t.Errorf("got label 3 = %q at (%v, %v), want \"2.0\" at (1, 1)", l.Label(3), x, y)
	}
}
