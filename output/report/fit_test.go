package report

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// TestReportFitSection writes the section of a fit: the posterior table,
// each target with its predictive band (one outside, marked and counted),
// the generations with their acceptance rate and effective size, and the
// posterior charts titled by parameter; text from the targets file is
// escaped.
func TestReportFitSection(t *testing.T) {
	f := &Fit{
		Method: "ABC-SMC, 8 particles", TargetsFile: "targets.yaml",
		Params: []FitParam{{Label: "regions.south.pull", PriorLow: 0.2, PriorHigh: 5, Original: 1.5, Mean: 1.6, SD: 0.3, CILow: 1.1, CIHigh: 2.2, SDRatio: 0.22, Fitted: 1.55}},
		Targets: []FitTarget{
			{Name: "commercialization_rate", Source: "<script>x</script>", Observed: 0.3, Uncertainty: 0.05, Mean: 0.29, CILow: 0.25, CIHigh: 0.33, Z: -0.2, PredictiveLow: 0.2, PredictiveHigh: 0.4, PredictiveP: 0.55},
			{Name: "commercialized_share@south", Observed: 0.9, Uncertainty: 0.05, Mean: 0.5, CILow: 0.45, CIHigh: 0.55, Z: 8, PredictiveLow: 0.38, PredictiveHigh: 0.62, PredictiveP: 1},
		},
		Generations: []FitGeneration{{Tolerance: math.Inf(1), Proposals: 8, Simulated: 8, Accepted: 8, ESS: 8}, {Tolerance: 2.5, Proposals: 40, Simulated: 30, Accepted: 8, ESS: 6.4}},
	}
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>`)
	var b bytes.Buffer
	if err := Write(&b, Data{Fit: f, Plots: []Plot{{Kind: Posterior, Name: "posterior-regions.south.pull", Path: "regions.south.pull", SVG: svg}}}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{
		`<section id="fit"`, "What the fit says", "[0.2, 5]", "1.6 ± 0.3", "predictive 95 % band", "[0.38, 0.62]", "1 observed figure(s) fall outside",
		"8 of 40", "20.0 %", "∞", "Posterior of regions.south.pull", `href="#fit"`, "&lt;script&gt;",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>") {
		t.Error("the page holds a script from a target's source")
	}
}
