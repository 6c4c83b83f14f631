package chart

import (
	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

// sweepFixture returns the Config of fixture.Sweep and the summaries of
// its three points.
func sweepFixture(paths ...string) (*sim.Config, []output.PointSummary) {
	cfg, points, runs := fixture.Sweep(paths...)
	return cfg, output.SummarizePoints(cfg.RegionIDs(), points, runs)
}
