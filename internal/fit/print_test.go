package fit

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/triad-sim/triad/internal/calibrate"
	"github.com/triad-sim/triad/scenarios"
)

func TestProposalWarning(t *testing.T) {
	for _, tc := range []struct {
		name                                 string
		g, generations, proposals, particles int
		warn                                 bool
	}{
		{"a generation far from the cap", 1, 5, 3000, 150, false},
		{"a generation at half the cap", 1, 5, 15000, 150, true},
		{"a generation past half the cap", 3, 5, 29000, 150, true},
		{"the last generation, however close", 4, 5, 29000, 150, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := ProposalWarning(tc.g, tc.generations, tc.proposals, tc.particles)
			if (w != "") != tc.warn {
				t.Errorf("got warning %q, want one: %v", w, tc.warn)
			}
			if w != "" && !strings.Contains(w, fmt.Sprint(ProposalCap(tc.particles))) {
				t.Errorf("warning %q does not name the cap %d", w, ProposalCap(tc.particles))
			}
		})
	}
}

func TestProgressLine(t *testing.T) {
	for _, tc := range []struct {
		name    string
		g       int
		gen     Generation
		elapsed time.Duration
		want    string
	}{
		{"the first generation, of infinite tolerance", 0, Generation{Tolerance: math.Inf(1), Proposals: 200, Simulated: 200, Accepted: 200, ESS: 200}, 24*time.Second + 400*time.Millisecond,
			"generation 1/6: tolerance ∞, 200 accepted of 200 proposals (200 simulated), effective size 200, 24s"},
		{"a later generation, its tolerance to three digits", 1, Generation{Tolerance: 5.0812, Proposals: 1853, Simulated: 379, Accepted: 200, ESS: 188.6}, 108 * time.Second,
			"generation 2/6: tolerance 5.08, 200 accepted of 1853 proposals (379 simulated), effective size 189, 1m48s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ProgressLine(tc.g, 6, tc.gen, tc.elapsed); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestPrint prints a made-up result of two parameters (one of two paths)
// and two targets (one outside its predictive band) and checks every
// byte: the three tables and the notes under them.
func TestPrint(t *testing.T) {
	v1, sd1, v2, sd2 := 0.3, 0.05, 0.9, 0.01
	r := &Result{
		Spec: &Spec{
			Params: []Param{
				{Label: "regions.south.pull", Paths: []string{"regions.south.pull"}, Lo: 0.2, Hi: 5, Original: 1},
				{Label: "cities.a.transform,cities.b.transform", Paths: []string{"cities.a.transform", "cities.b.transform"}, Lo: 0.002, Hi: 0.05, Original: 0.0108},
			},
			Targets: []scenarios.Target{
				{Metric: "commercialization_rate", Value: &v1, Uncertainty: &sd1},
				{Metric: "commercialized_share", Regions: []string{"north", "south"}, Value: &v2, Uncertainty: &sd2},
			},
		},
		res: &calibrate.Result{
			Particles: []calibrate.Particle{
				{Theta: []float64{2.0812, 0.032212}, Weight: 0.6, Figures: []float64{0.31, 0.5}},
				{Theta: []float64{2.6, 0.02}, Weight: 0.4, Figures: []float64{0.28, 0.52}},
			},
			Generations: []calibrate.Generation{
				{Tolerance: math.Inf(1), Proposals: 2, Simulated: 2, Accepted: 2, ESS: 2},
				{Tolerance: 5.0812, Proposals: 37, Simulated: 11, Accepted: 2, ESS: 1.92},
			},
			Params:  []calibrate.Summary{{Mean: 2.3, SD: 0.26, Lo: 2.08, Hi: 2.6}, {Mean: 0.0273, SD: 0.006, Lo: 0.02, Hi: 0.0322}},
			Figures: []calibrate.Summary{{Mean: 0.298, SD: 0.015, Lo: 0.28, Hi: 0.31}, {Mean: 0.508, SD: 0.01, Lo: 0.5, Hi: 0.52}},
		},
	}
	var b strings.Builder
	if err := r.Print(&b, "out/small-fit"); err != nil {
		t.Fatal(err)
	}
	want := `parameter               prior         was    posterior      95 % interval  sd/prior fitted
regions.south.pull      [0.2, 5]      1      2.3 ± 0.26     [2.08, 2.6]    0.19     2.08
cities.a.transform (+1) [0.002, 0.05] 0.0108 0.0273 ± 0.006 [0.02, 0.0322] 0.43     0.0322

target                            observed    fitted mean  95 % interval  z       pred. p
commercialization_rate            0.3 ± 0.05  0.298        [0.28, 0.31]   -0.04   0.52
commercialized_share@north+south  0.9 ± 0.01  0.508        [0.5, 0.52]    -39.20  1.00 !

generation  tolerance  accepted  acceptance  effective size
1           ∞          2 of 2    100.0 %     2
2           5.08       2 of 37   5.4 %       2

posterior: mean ± sd; sd/prior: its sd over the prior's (near 1: the targets say little);
fitted: the value the fitted scenario takes, where the posterior is densest.
pred. p: the share of the figures the fitted model predicts, measurement error included,
at or below the observed one (near 0 or 1: it cannot reproduce it).
1 observed figure(s) lie outside their 95 % predictive band (!).
Written to out/small-fit:
report.html, fit.csv, fit.json, targets.csv, posterior.csv, generations.csv,
scenario.yaml (the fitted scenario), plots/posterior-PARAMETER.png
`
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
