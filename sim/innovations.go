package sim

import "math"

// summarizeInnovations fills the innovation log of res and the figures
// computed from it: the Kaplan–Meier t50, adoption at fixed ages and the
// commercialization rate of settled breakthroughs.
func (m *model) summarizeInnovations(res *RunResult) {
	last := m.cfg.Steps - 1
	res.Innovations = make([]Innovation, len(m.inns))
	settled, settledComm := 0, 0
	for x, in := range m.inns {
		rec := Innovation{Origin: in.originRegion, OriginCity: in.originCity, Discovered: in.discovered,
			FateStep: in.fateStep, Region: -1}
		switch in.status {
		case pending:
			rec.Fate = FatePending
		case lost:
			rec.Fate = FateLost
		case commercialized:
			rec.Fate, rec.Region = FateCommercialized, in.commRegion
		}
		for t := range rec.Reached {
			rec.Reached[t] = make([]int, m.nR)
			for r := range m.nR {
				rec.Reached[t][r] = -1
				if in.status == commercialized {
					rec.Reached[t][r] = int(in.reachedAt[t][r])
				}
			}
		}
		for a := range rec.AtAge {
			rec.AtAge[a] = make([]float64, m.nR)
			for r := range m.nR {
				rec.AtAge[a][r] = math.NaN()
				if in.status == commercialized {
					rec.AtAge[a][r] = in.atAge[a][r]
				}
			}
		}
		res.Innovations[x] = rec
		// A breakthrough found at step d has been lost by step
		// d + max_pending − 1 if no firm took it up: its fate is known
		// when that step is within the run.
		if in.discovered >= 0 && in.discovered+m.cfg.Transfer.MaxPending-1 <= last {
			settled++
			if in.status == commercialized {
				settledComm++
			}
		}
	}
	res.CommercializationRate = math.NaN()
	if settled > 0 {
		res.CommercializationRate = float64(settledComm) / float64(settled)
	}
	res.T50KM = make([]float64, m.nR)
	for a := range res.AdoptionAt {
		res.AdoptionAt[a] = make([]float64, m.nR)
	}
	var times []float64
	var events []bool
	for r := range m.nR {
		times, events = times[:0], events[:0]
		sums, counts := make([]float64, len(AdoptionAges)), make([]int, len(AdoptionAges))
		for _, in := range m.inns {
			if in.status != commercialized {
				continue
			}
			if at := in.reachedAt[1][r]; at >= 0 {
				times, events = append(times, float64(int(at)-in.commStep)), append(events, true)
			} else {
				times, events = append(times, float64(last-in.commStep)), append(events, false)
			}
			for a := range AdoptionAges {
				if v := in.atAge[a][r]; !math.IsNaN(v) {
					sums[a] += v
					counts[a]++
				}
			}
		}
		res.T50KM[r] = KaplanMeierMedian(times, events)
		for a := range AdoptionAges {
			res.AdoptionAt[a][r] = math.NaN()
			if counts[a] > 0 {
				res.AdoptionAt[a][r] = sums[a] / float64(counts[a])
			}
		}
	}
}
