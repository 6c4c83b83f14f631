package report

import (
	"fmt"
	"math"
	"strconv"
)

// Fit is a calibration (triad fit) for the report: its method, the
// posterior of each parameter, the fit of each target with its posterior
// predictive check, and each generation's record.
type Fit struct {
	// Method says how the fit was made, in a sentence; TargetsFile names
	// the targets file.
	Method, TargetsFile string
	Params              []FitParam
	Targets             []FitTarget
	Generations         []FitGeneration
}

// FitParam is the posterior of one fitted parameter.
type FitParam struct {
	Label               string
	PriorLow, PriorHigh float64
	Original, Mean, SD  float64
	CILow, CIHigh       float64
	SDRatio, Fitted     float64
}

// FitTarget is one observed figure and the fitted model's: the mean and
// 95 % interval of the model's figure over the posterior, and the
// posterior predictive 95 % band of the observed figure (the model's
// figure plus the measurement error of the target's uncertainty) with the
// predictive probability of a figure at or below the observed one.
type FitTarget struct {
	Name, Source                  string
	Observed, Uncertainty         float64
	Mean, CILow, CIHigh, Z        float64
	PredictiveLow, PredictiveHigh float64
	PredictiveP                   float64
}

// FitGeneration records one generation of the fit.
type FitGeneration struct {
	Tolerance                      float64 // +Inf for the first
	Proposals, Simulated, Accepted int
	ESS                            float64
}

type fitView struct {
	Lede        string
	Params      []fitParamRow
	Targets     []fitTargetRow
	Generations []fitGenerationRow
	Misses      int
	Plots       []plotView
}

type fitParamRow struct {
	Label, Prior, Original, Posterior, CI, SDRatio, Fitted string
}

type fitTargetRow struct {
	Name, Source, Observed, Model, CI, Z, Predictive, P string
	Outside                                             bool
}

type fitGenerationRow struct {
	N                                    int
	Tolerance, Accepted, Acceptance, ESS string
}

// g3 is a figure to three significant digits ("–" when it is not finite).
func g3(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

func newFitView(f *Fit, plots []plotView) *fitView {
	v := &fitView{Plots: plots}
	v.Lede = "Approximate Bayesian computation (ABC-SMC) tried values of the parameters below, drawn from their prior ranges, and kept those whose runs come near the observed figures (" +
		f.TargetsFile + "), generation by generation with a tighter tolerance. " + f.Method + "."
	for _, p := range f.Params {
		v.Params = append(v.Params, fitParamRow{Label: p.Label, Prior: "[" + paramNum(p.PriorLow) + ", " + paramNum(p.PriorHigh) + "]", Original: paramNum(p.Original),
			Posterior: g3(p.Mean) + " ± " + strconv.FormatFloat(p.SD, 'g', 2, 64), CI: "[" + g3(p.CILow) + ", " + g3(p.CIHigh) + "]",
			SDRatio: strconv.FormatFloat(p.SDRatio, 'f', 2, 64), Fitted: paramNum(p.Fitted)})
	}
	for _, t := range f.Targets {
		out := !(t.Observed >= t.PredictiveLow && t.Observed <= t.PredictiveHigh)
		if out {
			v.Misses++
		}
		v.Targets = append(v.Targets, fitTargetRow{Name: t.Name, Source: t.Source, Observed: paramNum(t.Observed) + " ± " + paramNum(t.Uncertainty),
			Model: g3(t.Mean), CI: "[" + g3(t.CILow) + ", " + g3(t.CIHigh) + "]", Z: fmt.Sprintf("%+.2f", t.Z),
			Predictive: "[" + g3(t.PredictiveLow) + ", " + g3(t.PredictiveHigh) + "]", P: strconv.FormatFloat(t.PredictiveP, 'f', 2, 64), Outside: out})
	}
	for i, g := range f.Generations {
		tol := "∞"
		if !math.IsInf(g.Tolerance, 1) {
			tol = g3(g.Tolerance)
		}
		v.Generations = append(v.Generations, fitGenerationRow{N: i + 1, Tolerance: tol, Accepted: fmt.Sprintf("%d of %d", g.Accepted, g.Proposals),
			Acceptance: fmt.Sprintf("%.1f %%", 100*float64(g.Accepted)/float64(max(1, g.Proposals))), ESS: strconv.FormatFloat(g.ESS, 'f', 0, 64)})
	}
	for i := range v.Plots {
		v.Plots[i].Title = "Posterior of " + v.Plots[i].plot.Path
		v.Plots[i].Caption = "The weighted particles of the last generation as a histogram over the prior range, the posterior mean as a line and its 95 % interval shaded. " +
			"A posterior as wide as the prior means the targets say little about the parameter."
	}
	return v
}
