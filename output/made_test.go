package output

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

// TestMadeWrite checks what the terminal says once a run is done: the
// runs, time and folder, the headline table of a run or of a sweep of one
// or two parameters (none for more, or for a sensitivity design), and the
// files given.
func TestMadeWrite(t *testing.T) {
	res := fixture.Result()
	sum := Summarize(res.Regions, res.Runs)
	var headline bytes.Buffer
	if err := Headline(&headline, res, sum); err != nil {
		t.Fatal(err)
	}
	swept, points := sweepFixture("regions.acc.pull", "diffusion.q")
	var table bytes.Buffer
	if err := SweepHeadline(&table, swept, points); err != nil {
		t.Fatal(err)
	}
	// A third swept parameter: the points stay the fixture's, as the text
	// only counts them.
	wide, widePoints := *swept, points
	sw := *swept.Sweep
	sw.Params = append(slices.Clone(sw.Params), sim.SweepParam{Path: "diffusion.k", Values: []float64{4, 6}})
	wide.Sweep = &sw
	files := "\nTables: a.csv, b.csv\nPlots:  p-*.png\nReport: r.html\n"
	tests := []struct {
		name string
		made Made
		want string
	}{
		{"a run", Made{Config: &res.Config, Single: res, Summary: sum},
			"toy: 3 runs of 4 steps in 1.2s, written to out/\n\n" + headline.String() + files},
		{"a sweep of two parameters", Made{Config: swept, Points: points},
			fmt.Sprintf("%s: %d runs of %d steps in 1.2s, written to out/\n\nsweep of regions.acc.pull, diffusion.q: %d points × %d replications\n\n", swept.Name, len(swept.Tasks()), swept.Steps, len(points), swept.Replicates) + table.String() + files},
		{"a sensitivity design", Made{Config: swept, Points: points, Sensitivity: true},
			fmt.Sprintf("%s: %d runs of %d steps in 1.2s, written to out/\n\nsweep of regions.acc.pull, diffusion.q: %d points × %d replications\n\n", swept.Name, len(swept.Tasks()), swept.Steps, len(points), swept.Replicates) + files},
		{"a sweep of three parameters", Made{Config: &wide, Points: widePoints},
			fmt.Sprintf("%s: %d runs of %d steps in 1.2s, written to out/\n\nsweep of regions.acc.pull, diffusion.q, diffusion.k: %d points × %d replications\n\n", wide.Name, len(wide.Tasks()), wide.Steps, len(widePoints), wide.Replicates) + files},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.made
			m.Folder, m.Wall, m.Tables, m.Plots, m.Report = "out/", 1.234, []string{"a.csv", "b.csv"}, "p-*.png", "r.html"
			var b bytes.Buffer
			if err := m.Write(&b); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), tt.want)
			}
			if err := m.Write(failingWriter{}); !errors.Is(err, errFull) {
				t.Errorf("a failed write: %v, want %v", err, errFull)
			}
		})
	}
}
