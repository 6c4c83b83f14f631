package chart

import (
	"bytes"
	"testing"
)

func TestPosteriorChart(t *testing.T) {
	post := Posterior{Label: "regions.gba.pull", Values: []float64{1, 1.5, 1.5, 2}, Weights: []float64{0.1, 0.4, 0.3, 0.2}, Lo: 0, Hi: 3, Mean: 1.5, CILo: 1, CIHi: 2}
	p, err := PosteriorChart(post)
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Min != 0 || p.X.Max != 3 {
		t.Errorf("x axis [%v, %v], want the prior range [0, 3]", p.X.Min, p.X.Max)
	}
	for _, format := range []string{"png", "svg"} {
		var buf bytes.Buffer
		if err := WritePlot(&buf, format, p, ChartWidth, ChartHeight); err != nil || buf.Len() == 0 {
			t.Errorf("%s: %v, %d bytes", format, err, buf.Len())
		}
	}
	if _, err := PosteriorChart(Posterior{Label: "x", Values: []float64{1}, Weights: nil}); err == nil {
		t.Error("got no error for values without weights")
	}
}
