package report

import (
	"fmt"
	"strings"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// sensitivityView is the report's section on a sensitivity analysis:
// which parameters drive each figure, in words, and the charts.
type sensitivityView struct {
	Lede      string
	Sentences []string
	Notes     []string
	Plots     []plotView
}

// newSensitivityView puts the analysis r on the page, with its charts
// (plots of kind SensitivityFigure), which it titles and explains.
func newSensitivityView(r *output.SensitivityResult, cfg *sim.Config, plots []plotView) *sensitivityView {
	name := func(id string) string {
		if cfg != nil {
			for _, reg := range cfg.Regions {
				if reg.ID == id && reg.Name != "" {
					return reg.Name
				}
			}
		}
		return id
	}
	v := &sensitivityView{Plots: plots}
	for i := range v.Plots {
		v.Plots[i].Title, v.Plots[i].Caption = sensitivityPlotText(v.Plots[i].plot, r.Method, name)
	}
	k := len(r.Params)
	switch r.Method {
	case sim.DesignSobol:
		v.Lede = fmt.Sprintf("A Sobol analysis varied %s at once over their ranges (Saltelli design, N = %d base rows: %d points × %s each). "+
			"S1 is the share of a figure's variance that a parameter explains alone, ST the share with all its interactions; "+
			"a parameter with ST near 0 could be fixed anywhere in its range without changing the answer.",
			countNoun(k, "parameter", "parameters"), r.Samples, sim.SensitivityPoints(r.Method, r.Samples, k), countNoun(r.Replicates, "run", "runs"))
	default:
		shape := "trajectories"
		if r.Radial {
			shape = "radial trajectories (each move from the trajectory's start)"
		}
		v.Lede = fmt.Sprintf("A Morris screening moved %s one at a time along %d random %s across a %d-level grid of their ranges (%d points × %s each). "+
			"μ* is the mean absolute change of a figure when a parameter goes across its whole range, in the figure's units; "+
			"σ, how much that change depends on where the other parameters are. A parameter with a small μ* hardly matters within its range.",
			countNoun(k, "parameter", "parameters"), r.Samples, shape, r.Levels, sim.SensitivityPoints(r.Method, r.Samples, k), countNoun(r.Replicates, "run", "runs"))
	}
	for _, f := range r.Drivers() {
		v.Sentences = append(v.Sentences, f.Sentence(name, output.UnitsOf(cfg)))
	}
	var ranges []string
	for _, p := range r.Params {
		ranges = append(ranges, fmt.Sprintf("%s from %s to %s", p.Path, paramNum(p.Low), paramNum(p.High)))
	}
	v.Notes = append(v.Notes, "Ranges: "+strings.Join(ranges, "; ")+".")
	for _, c := range r.Censored {
		v.Notes = append(v.Notes, fmt.Sprintf("%s of %s was %s: a lower bound there.", output.Metric(c.Metric).Label, name(c.Region), c.Reason))
	}
	for _, s := range r.Skipped {
		v.Notes = append(v.Notes, fmt.Sprintf("%s of %s is left out: %s.", output.Metric(s.Metric).Label, name(s.Region), s.Reason))
	}
	v.Notes = append(v.Notes, "Every index has a 95 % bootstrap interval in sensitivity.csv and sensitivity.json beside this report. "+
		"Replicate r of every point runs on the same seed (common random numbers) and the indices use each point's mean; "+
		"the replicate noise is the share of the spread between points that the noise of the replicate means could explain, an upper bound.")
	return v
}

// sensitivityPlotText names and explains the chart p (of kind
// SensitivityFigure) of an analysis by method; regionName names a region
// by its id.
func sensitivityPlotText(p Plot, method string, regionName func(string) string) (title, caption string) {
	what := output.Metric(p.Metric).Label
	if p.Region != "" {
		what += " of " + regionName(p.Region)
	}
	if method == sim.DesignSobol {
		return "What explains the variance of " + what,
			"For each parameter, S1 (the share of the figure's variance it explains alone) and ST (with its interactions), with 95 % bootstrap intervals. " +
				"A gap between ST and S1 means the parameter matters through interactions with others."
	}
	return "What moves " + what,
		"Each dot is a parameter: across, μ* (how much the figure moves when the parameter goes across its range, with its 95 % bootstrap interval); up, σ (how much that depends on the other parameters). " +
			"Parameters far to the right drive the figure; those above the dashed line σ = μ* act mostly through interactions or curvature; those near the origin hardly matter."
}

// sensitivityDesignName describes a Morris or Sobol design for the sweep
// section.
func sensitivityDesignName(sw *sim.Sweep) string {
	if sw.Design == sim.DesignSobol {
		return fmt.Sprintf("Sobol: Saltelli design of %d base rows", sw.Points)
	}
	return "Morris: " + countNoun(sw.Points, "trajectory", "trajectories")
}
