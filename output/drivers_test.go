package output

import (
	"bytes"
	"errors"
	"testing"

	"github.com/triad-sim/triad/sim"
)

func TestWriteDrivers(t *testing.T) {
	r := morrisFixture(t)
	r.Censored = []SkippedFigure{{"lag_median", "acc", "some runs never got there"}}
	r.Skipped = []SkippedFigure{{"t50", "src", "it does not exist at some point"}}
	cfg := &sim.Config{StepUnit: "month", Regions: []sim.Region{{ID: "src", Name: "Source Hub"}, {ID: "acc"}}}
	var b bytes.Buffer
	if err := WriteDrivers(&b, r, cfg, "out/x/sensitivity.csv"); err != nil {
		t.Fatal(err)
	}
	want := "\nWhat drives each figure (morris, 10 trajectories, indices with 95 % bootstrap intervals in out/x/sensitivity.csv):\n" +
		"  - t50 of Source Hub (src): driven by diffusion.q (μ* 40.0 months) and links.src-acc.friction (12.0); then, less than a quarter as much, regions.acc.reach (1.0). Replicate noise is 2 % of the spread.\n" +
		"  - t50 of acc: driven by diffusion.q (μ* 30.0 months); then, less than a quarter as much, links.src-acc.friction (1.0); the remaining one less still.\n" +
		"  - lag_median of acc: some runs never got there\n" +
		"  - t50 of Source Hub (src) left out: it does not exist at some point\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	// A Sobol analysis counts base rows.
	b.Reset()
	if err := WriteDrivers(&b, SensitivityResult{Method: sim.DesignSobol, Samples: 3}, cfg, "s.csv"); err != nil || b.String() != "\nWhat drives each figure (sobol, 3 base rows, indices with 95 % bootstrap intervals in s.csv):\n" {
		t.Errorf("sobol: got %q, %v", b.String(), err)
	}
	// A failed write is returned.
	if err := WriteDrivers(failingWriter{}, r, cfg, "s.csv"); !errors.Is(err, errFull) {
		t.Errorf("a failed write: %v, want %v", err, errFull)
	}
}

var errFull = errors.New("disk full")

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errFull }

func TestRegionNamer(t *testing.T) {
	name := RegionNamer(&sim.Config{Regions: []sim.Region{{ID: "central", Name: "Central China"}, {ID: "coast"}}})
	for id, want := range map[string]string{"central": "Central China (central)", "coast": "coast", "elsewhere": "elsewhere"} {
		if got := name(id); got != want {
			t.Errorf("name(%q) = %q, want %q", id, got, want)
		}
	}
}
