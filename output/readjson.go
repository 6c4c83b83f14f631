package output

import (
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/triad-sim/triad/sim"
)

// SummaryFile is what a summary.json holds: the summary of a run
// (WriteSummaryJSON), or, when Sweep is set, the summaries of a sweep's
// points (WriteSweepSummaryJSON).
type SummaryFile struct {
	Summary Summary
	Sweep   bool
	Paths   []string
	Points  []PointSummary
}

// ReadSummaryJSON reads a summary written by WriteSummaryJSON or
// WriteSweepSummaryJSON; null reads as NaN. The transfer matrix of a run's
// summary repeats its transfer_to_ metrics and is not read.
func ReadSummaryJSON(r io.Reader) (SummaryFile, error) {
	var in struct {
		Metrics []statJSON  `json:"metrics"`
		Paths   []string    `json:"paths"`
		Points  []pointJSON `json:"points"`
	}
	if err := json.NewDecoder(r).Decode(&in); err != nil {
		return SummaryFile{}, fmt.Errorf("read summary: %w", err)
	}
	if in.Paths == nil {
		s := summaryFromJSON(in.Metrics)
		if err := s.plausible(-1); err != nil {
			return SummaryFile{}, fmt.Errorf("read summary: %w", err)
		}
		return SummaryFile{Summary: s}, nil
	}
	f := SummaryFile{Sweep: true, Paths: in.Paths, Points: make([]PointSummary, len(in.Points))}
	for i, p := range in.Points {
		if p.Runs < 0 {
			return SummaryFile{}, fmt.Errorf("read summary: point %d has %d runs", p.Point, p.Runs)
		}
		if err := summaryFromJSON(p.Metrics).plausible(p.Runs); err != nil {
			return SummaryFile{}, fmt.Errorf("read summary: point %d: %w", p.Point, err)
		}
		pt := sim.Point{Index: p.Point, Values: make([]float64, len(in.Paths))}
		for d, path := range in.Paths {
			pt.Values[d] = denull(p.Values[path])
		}
		f.Points[i] = PointSummary{Point: pt, Runs: p.Runs, Summary: summaryFromJSON(p.Metrics)}
	}
	return f, nil
}

// plausible returns an error when a figure of s is one that no summary of
// runs (of runs runs; any number when runs < 0) can have: a negative n or
// sd, a mean below 0 (every figure is ≥ 0) or a share's above 1, or an
// interval that does not hold its mean.
func (s Summary) plausible(runs int) error {
	for _, st := range s {
		bad := func(format string, args ...any) error {
			return fmt.Errorf("%s %s: %s", st.Metric, regionName(st.Region), fmt.Sprintf(format, args...))
		}
		switch {
		case st.N < 0 || (runs >= 0 && st.N > runs):
			return bad("n %d does not count runs (of %d)", st.N, runs)
		case math.IsInf(st.Mean, 0) || st.Mean < 0 || (Metric(st.Metric).Kind == KindShare && st.Mean > 1):
			return bad("a mean of %v", st.Mean)
		case math.IsInf(st.SD, 0) || st.SD < 0:
			return bad("an sd of %v", st.SD)
		case st.CILow > st.Mean || st.Mean > st.CIHigh:
			return bad("the interval [%v, %v] does not hold the mean %v", st.CILow, st.CIHigh, st.Mean)
		}
	}
	return nil
}

// ReadCompareJSON reads a comparison written by WriteCompareJSON; null
// reads as NaN. It refuses a comparison whose figures do not fit its sets
// (one entry per set, n within the set's runs).
func ReadCompareJSON(r io.Reader) (Comparison, error) {
	var in compareJSON
	if err := json.NewDecoder(r).Decode(&in); err != nil {
		return Comparison{}, fmt.Errorf("read comparison: %w", err)
	}
	if len(in.Sets) == 0 {
		return Comparison{}, fmt.Errorf("read comparison: no sets")
	}
	for _, s := range in.Sets {
		if s.Runs < 0 {
			return Comparison{}, fmt.Errorf("read comparison: set %s has %d runs", s.Label, s.Runs)
		}
	}
	for _, m := range in.Metrics {
		if len(m.Sets) != len(in.Sets) {
			return Comparison{}, fmt.Errorf("read comparison: %s %s has figures of %d sets, the comparison %d", m.Metric, regionName(m.Region), len(m.Sets), len(in.Sets))
		}
		for i, s := range m.Sets {
			if s.N < 0 || s.N > in.Sets[i].Runs {
				return Comparison{}, fmt.Errorf("read comparison: %s %s: n %d of set %s, which has %d runs", m.Metric, regionName(m.Region), s.N, in.Sets[i].Label, in.Sets[i].Runs)
			}
		}
	}
	c := Comparison{Regions: in.Regions}
	for i, s := range in.Sets {
		c.Sets = append(c.Sets, s.Label)
		c.Runs = append(c.Runs, s.Runs)
		if i > 0 {
			p := Pairing{Why: s.Why}
			if s.Paired != nil {
				p.Paired = *s.Paired
			}
			c.Pairing = append(c.Pairing, p)
		}
	}
	for _, m := range in.Metrics {
		row := CompareRow{Metric: m.Metric, Region: m.Region}
		for i, s := range m.Sets {
			row.Stats = append(row.Stats, statFromJSON(statJSON{Metric: m.Metric, Region: m.Region, N: s.N, Mean: s.Mean, SD: s.SD, CI95: s.CI95}))
			if i == 0 {
				continue
			}
			d := Difference{Mean: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN(), DF: math.NaN(), Effect: math.NaN(), P: math.NaN(), PT: math.NaN(), PW: math.NaN(), PAdj: math.NaN()}
			if j := s.Diff; j != nil {
				d = Difference{Test: j.Test, N: j.N, Mean: denull(j.Mean), CILow: denull(j.CI95[0]), CIHigh: denull(j.CI95[1]),
					DF: denull(j.DF), Effect: denull(j.EffectSize), P: denull(j.PValue), PT: denull(j.PT), PW: denull(j.PWilcoxon), PAdj: denull(j.PAdjusted)}
			}
			row.Diffs = append(row.Diffs, d)
		}
		c.Rows = append(c.Rows, row)
	}
	return c, nil
}

// denull is the value at p, NaN for nil (JSON null).
func denull(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// statFromJSON turns a statJSON back into a Stat, null as NaN.
func statFromJSON(s statJSON) Stat {
	return Stat{Metric: s.Metric, Region: s.Region, N: s.N, Mean: denull(s.Mean), SD: denull(s.SD), Median: denull(s.Median), CILow: denull(s.CI95[0]), CIHigh: denull(s.CI95[1])}
}

func summaryFromJSON(ms []statJSON) Summary {
	s := make(Summary, len(ms))
	for i, m := range ms {
		s[i] = statFromJSON(m)
	}
	return s
}
