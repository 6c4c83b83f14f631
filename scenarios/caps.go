package scenarios

import (
	"fmt"
	"math"

	"github.com/triad-sim/triad/sim"
)

// Caps bound the size of a scenario, so that a typo (firms: 30000000 for
// 3000) cannot exhaust a machine's memory or run for days. They are far
// above the built-in scenarios and are lifted on the command line with
// --allow-large; sim's own limits (sim.MaxFirms and the like, set by how
// the model stores its agents) always hold.
type Caps struct {
	Firms, Labs, Steps, Replicates int
	// Runs caps sweep points × replications.
	Runs int
	// Bytes and Tokens cap the size of the file: its bytes and its YAML
	// tokens (see tokenize), which bound the time and memory of reading
	// it.
	Bytes, Tokens int
}

// DefaultCaps are the caps of Load. Its caps on a file's bytes and tokens
// are far above the built-in scenarios (a few kilobytes, under 3,000
// tokens) and let a file of some 4,000 cities load; the costliest files
// within them take under a second and a hundred megabytes to read.
var DefaultCaps = Caps{Firms: 2_000_000, Labs: 100_000, Steps: 10_000, Replicates: 10_000, Runs: 100_000, Bytes: 1 << 20, Tokens: 100_000}

// NoCaps lifts every cap.
var NoCaps = Caps{}

// CapFlag is the command-line flag that lifts the caps; messages name it.
const CapFlag = "--allow-large"

// checkCaps reports every cap cfg exceeds, as field errors on the field
// that holds the largest part of the excess. A zero cap is no cap.
func checkCaps(cfg *sim.Config, c Caps) sim.Errors {
	var es sim.Errors
	add := func(field string, what string, got, limit int) {
		es = append(es, sim.FieldError{Field: field, Msg: fmt.Sprintf("%d %s is more than the cap of %d, which guards against typos; %s lifts it", got, what, limit, CapFlag)})
	}
	firms, labs := 0, 0
	bigFirms, bigLabs := "regions", "regions"
	maxF, maxL := -1, -1
	for i, r := range cfg.Regions {
		for j, ct := range r.Cities {
			firms += ct.Firms
			labs += ct.Labs
			if ct.Firms > maxF {
				maxF, bigFirms = ct.Firms, fmt.Sprintf("regions[%d].cities[%d].firms", i, j)
			}
			if ct.Labs > maxL {
				maxL, bigLabs = ct.Labs, fmt.Sprintf("regions[%d].cities[%d].labs", i, j)
			}
		}
	}
	if c.Firms > 0 && firms > c.Firms {
		add(bigFirms, "firms in all", firms, c.Firms)
	}
	if c.Labs > 0 && labs > c.Labs {
		add(bigLabs, "labs in all", labs, c.Labs)
	}
	if c.Steps > 0 && cfg.Steps > c.Steps {
		add("steps", "steps", cfg.Steps, c.Steps)
	}
	if c.Replicates > 0 && cfg.Replicates > c.Replicates {
		add("replications", "replications", cfg.Replicates, c.Replicates)
	}
	es = append(es, checkSweepSize(cfg, c)...)
	return es
}

// checkSweepSize reports a sweep whose runs exceed the cap, counting its
// points without building them, so that it works on a config that is not
// yet valid and costs nothing however large the sweep. sim.MaxSweepPoints
// holds even without caps.
func checkSweepSize(cfg *sim.Config, c Caps) sim.Errors {
	if cfg.Sweep == nil {
		return nil
	}
	points := sweepPoints(cfg)
	if points > sim.MaxSweepPoints {
		return sim.Errors{{Field: "sweep", Msg: fmt.Sprintf("the sweep has %.0f points, more than the cap of %d", points, sim.MaxSweepPoints)}}
	}
	if runs := points * float64(max(cfg.Replicates, 1)); c.Runs > 0 && runs > float64(c.Runs) {
		return sim.Errors{{Field: "sweep", Msg: fmt.Sprintf("%.0f runs (sweep points × replications) is more than the cap of %d, which guards against typos; %s lifts it", runs, c.Runs, CapFlag)}}
	}
	return nil
}

// Runs returns the number of runs of cfg, sweep points × replications,
// counting the points without building them.
func Runs(cfg *sim.Config) float64 {
	return sweepPoints(cfg) * float64(max(cfg.Replicates, 1))
}

// sweepPoints counts the points of cfg's sweep (1 without one) as sim
// builds them.
func sweepPoints(cfg *sim.Config) float64 {
	s := cfg.Sweep
	if s == nil {
		return 1
	}
	points := 1.0
	if s.Design == sim.DesignLatinHypercube {
		points = float64(s.Points)
	} else if s.IsSensitivity() {
		points = float64(sim.SensitivityPoints(s.Design, s.Points, len(s.Params)))
	} else {
		for _, p := range s.Params {
			switch {
			case len(p.Values) > 0:
				points *= float64(len(p.Values))
			case p.From != nil && p.To != nil && p.Step != nil && *p.Step > 0 && *p.To > *p.From:
				// As sim counts a grid range's values.
				points *= math.Floor((*p.To-*p.From) / *p.Step * (1+1e-9)) + 1
			}
		}
	}
	return points
}

// CheckSweepSize reports a sweep too large to run under the caps, without
// building its points: call it before Validate, which checks every point,
// on a config changed after loading (a --sweep flag).
func CheckSweepSize(cfg *sim.Config, c Caps) error {
	if es := checkSweepSize(cfg, c); len(es) > 0 {
		return es
	}
	return nil
}

// CheckCaps reports the caps a checked config exceeds, for configs changed
// after loading (command-line overrides). The errors name fields, not
// positions.
func CheckCaps(cfg *sim.Config, c Caps) error {
	if es := checkCaps(cfg, c); len(es) > 0 {
		return es
	}
	return nil
}
