package output

import (
	"math"
	"testing"

	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

func TestDiffBands(t *testing.T) {
	sets := fixture.CompareSets[RunSet]()
	t.Run("a paired copy differs by exactly zero", func(t *testing.T) {
		bands, pr := DiffBands(sets[0], sets[2])
		if !pr.Paired || len(bands) != len(sets[0].Regions) {
			t.Fatalf("got %d bands, paired %v; want one per region, paired", len(bands), pr.Paired)
		}
		for _, b := range bands {
			for k := range b.Steps {
				if b.Mean[k] != 0 || b.Low[k] != 0 || b.High[k] != 0 {
					t.Fatalf("region %s step %d: got %v [%v, %v], want 0 [0, 0]", b.Region, b.Steps[k], b.Mean[k], b.Low[k], b.High[k])
				}
			}
		}
	})
	t.Run("halved shares on other seeds differ by minus half the mean, with Welch's interval", func(t *testing.T) {
		bands, pr := DiffBands(sets[0], sets[1])
		if pr.Paired {
			t.Fatal("got paired, want independent sets")
		}
		base := Bands(&sim.Result{Config: sets[0].Config, Regions: sets[0].Regions, Runs: sets[0].Runs})
		for r, b := range bands {
			for k := range b.Steps {
				want := -0.5 * base[r].Mean[k]
				if !fixture.Same(b.Mean[k], want, 1e-12) {
					t.Errorf("region %s step %d: got %v, want %v", b.Region, b.Steps[k], b.Mean[k], want)
				}
				if !math.IsNaN(b.Low[k]) && !(b.Low[k] <= b.Mean[k] && b.Mean[k] <= b.High[k]) {
					t.Errorf("region %s step %d: interval [%v, %v] misses %v", b.Region, b.Steps[k], b.Low[k], b.High[k], b.Mean[k])
				}
			}
		}
	})
}
