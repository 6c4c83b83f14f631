package output

import (
	"math"
	"testing"

	"gonum.org/v1/plot/plotter"

	"github.com/triad-sim/triad/sim"
)

// The series types feed gonum/plot directly.
var (
	_ plotter.XYer       = Band{}
	_ plotter.XYer       = Envelope{}
	_ plotter.XYer       = Series{}
	_ plotter.GridXYZ    = TransferGrid{}
	_ plotter.XYLabeller = cellLabels{}
)

func TestBands(t *testing.T) {
	bands := Bands(fixture())
	if got, want := len(bands), 2; got != want {
		t.Fatalf("got %d bands, want %d", got, want)
	}
	tests := []struct {
		name         string
		region, step int
		// values are the adoption shares of the three runs.
		values []float64
	}{
		{"the accelerator at the last step", 1, 3, []float64{0.5, 0.6, 0.7}},
		{"the source at step 2", 0, 2, []float64{0.05, 0.1, 0.1}},
		{"the source at step 0, before any adoption", 0, 0, []float64{0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := bands[tt.region]
			// Mean and sample sd by hand, half-width t(0.975, 2)·sd/√3.
			v := tt.values
			mean := (v[0] + v[1] + v[2]) / 3
			sd := math.Sqrt(((v[0]-mean)*(v[0]-mean) + (v[1]-mean)*(v[1]-mean) + (v[2]-mean)*(v[2]-mean)) / 2)
			h := t975df2 * sd / math.Sqrt(3)
			x, y := b.XY(tt.step)
			if x != float64(tt.step) {
				t.Errorf("got x %v, want %v", x, tt.step)
			}
			if !same(y, mean, 1e-12) {
				t.Errorf("got mean %v, want %v", y, mean)
			}
			if !same(b.Low[tt.step], mean-h, 1e-12) || !same(b.High[tt.step], mean+h, 1e-12) {
				t.Errorf("got band [%v, %v], want [%v, %v]", b.Low[tt.step], b.High[tt.step], mean-h, mean+h)
			}
		})
	}
	t.Run("the envelope goes up along the upper bound and back along the lower", func(t *testing.T) {
		b := bands[1]
		e := b.Envelope()
		if got, want := e.Len(), 8; got != want {
			t.Fatalf("got %d vertices, want %d", got, want)
		}
		for _, c := range []struct {
			i, step int
			y       float64
		}{
			{0, 0, b.High[0]}, {3, 3, b.High[3]}, {4, 3, b.Low[3]}, {7, 0, b.Low[0]},
		} {
			x, y := e.XY(c.i)
			if x != float64(c.step) || y != c.y {
				t.Errorf("got vertex %d = (%v, %v), want (%v, %v)", c.i, x, y, c.step, c.y)
			}
		}
	})
	t.Run("the envelope stays within 0 and 1", func(t *testing.T) {
		b := Band{Steps: []int{0}, Mean: []float64{0.05}, Low: []float64{-0.1}, High: []float64{1.2}}
		_, hi := b.Envelope().XY(0)
		_, lo := b.Envelope().XY(1)
		if lo != 0 || hi != 1 {
			t.Errorf("got envelope %v..%v, want 0..1", lo, hi)
		}
	})
	t.Run("one run gives a zero-width envelope on the mean", func(t *testing.T) {
		res := fixture()
		res.Runs = res.Runs[1:2]
		b := Bands(res)[1]
		if !math.IsNaN(b.Low[3]) {
			t.Errorf("got low %v, want NaN", b.Low[3])
		}
		_, hi := b.Envelope().XY(3)
		_, lo := b.Envelope().XY(4)
		if hi != 0.6 || lo != 0.6 {
			t.Errorf("got envelope %v..%v at step 3, want 0.6..0.6", lo, hi)
		}
	})
	t.Run("no runs give no bands", func(t *testing.T) {
		res := fixture()
		res.Runs = []*sim.RunResult{nil}
		if got := Bands(res); got != nil {
			t.Errorf("got %d bands, want none", len(got))
		}
	})
}

func TestMeanPipeline(t *testing.T) {
	p := MeanPipeline(fixture())
	// Sums over regions and runs at each step, from the fixture's rows,
	// divided by three runs.
	tests := []struct {
		name   string
		series Series
		want   []float64
	}{
		{"discovered", p.Discovered, []float64{7.0 / 3, 4.0 / 3, 1, 1.0 / 3}},
		{"commercialized", p.Commercialized, []float64{0, 4.0 / 3, 1, 1}},
		{"lost", p.Lost, []float64{0, 1.0 / 3, 0, 1.0 / 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" per step", func(t *testing.T) {
			if tt.series.Name != tt.name {
				t.Errorf("got name %q, want %q", tt.series.Name, tt.name)
			}
			if got, want := tt.series.Len(), len(tt.want); got != want {
				t.Fatalf("got %d points, want %d", got, want)
			}
			for i, w := range tt.want {
				x, y := tt.series.XY(i)
				if x != float64(i) || !same(y, w, 1e-12) {
					t.Errorf("got point %d = (%v, %v), want (%v, %v)", i, x, y, i, w)
				}
			}
		})
	}
}

func TestMeanTransfer(t *testing.T) {
	g := MeanTransfer(fixture())
	// Transfer matrices of the runs: [[1 1] [0 1]], [[1 2] [0 1]], [[0 3] [0 0]].
	want := [][]float64{{2.0 / 3, 2}, {0, 2.0 / 3}}
	for o := range want {
		for d := range want[o] {
			if !same(g.Mean[o][d], want[o][d], 1e-12) {
				t.Errorf("got mean[%d][%d] = %v, want %v", o, d, g.Mean[o][d], want[o][d])
			}
		}
	}
	tests := []struct {
		name string
		c, r int
		want float64
	}{
		{"the top row is the first origin", 1, 1, 2},                  // src → acc
		{"the bottom row is the last origin", 0, 0, 0},                // acc → src
		{"the diagonal runs top left to bottom right", 0, 1, 2.0 / 3}, // src → src
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := g.Z(tt.c, tt.r); !same(got, tt.want, 1e-12) {
				t.Errorf("got Z(%d, %d) = %v, want %v", tt.c, tt.r, got, tt.want)
			}
		})
	}
	t.Run("cell labels sit on their cells", func(t *testing.T) {
		l := cellLabels{g, 2}
		if got, want := l.Len(), 4; got != want {
			t.Fatalf("got %d labels, want %d", got, want)
		}
		x, y := l.XY(3)
		if x != 1 || y != 1 || l.Label(3) != "2.0" {
			t.Errorf("got label 3 = %q at (%v, %v), want \"2.0\" at (1, 1)", l.Label(3), x, y)
		}
	})
}
