package scenarios

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/triad-sim/triad/sim"
)

// TestThreeHubsFittedMeetsItsTargets runs the fitted built-in on its own
// seeds (its 20 replicates, of which the fit saw only the first four) and
// holds every target's mean within the target's uncertainty of the
// observed figure, plus three standard errors of the 20-run mean. If the
// model's mean lies within the uncertainty, a target fails by chance less
// than once in 700 (one-sided normal tail beyond 3 standard errors), so the
// test's false-alarm rate over its five targets is below 1 %.
func TestThreeHubsFittedMeetsItsTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three-hubs-fitted 20 times: a few seconds")
	}
	cfg, err := Builtin("three-hubs-fitted")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "docs", "fit", "three-hubs-targets.yaml")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := LoadTargets(path, src, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(context.Background(), cfg, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range tg.Targets {
		var xs []float64
		for _, r := range res.Runs {
			v := 0.0
			for _, m := range r.Metrics(res.Regions) {
				if m.Name == target.Metric && ((m.Region == "" && len(target.RegionList()) == 0) || (m.Region != "" && slices.Contains(target.RegionList(), m.Region))) {
					v += m.Value
				}
			}
			if !math.IsNaN(v) {
				xs = append(xs, v)
			}
		}
		mean, sd := stat.MeanStdDev(xs, nil)
		se := sd / math.Sqrt(float64(len(xs)))
		limit := *target.Uncertainty + 3*se
		t.Logf("%s: model %.4f (se %.4f), observed %.4f ± %.4f", target.Name(), mean, se, *target.Value, *target.Uncertainty)
		if d := math.Abs(mean - *target.Value); d > limit {
			t.Errorf("%s: model %.4f, observed %.4f: off by %.4f, more than the uncertainty %.4f + 3 se %.4f", target.Name(), mean, *target.Value, d, *target.Uncertainty, 3*se)
		}
	}
}
