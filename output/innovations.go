package output

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/triad-sim/triad/sim"
)

// InnovationsWriter writes the innovation log as CSV, one row per
// innovation of every run, so that cohort figures (the commercialization
// rate of settled breakthroughs, adoption at a fixed product age, the
// Kaplan–Meier t50) can be recomputed from the runs in a spreadsheet,
// pandas or R:
//
//	[extra columns,]replicate,seed,innovation,origin_region,origin_city,
//	discovered,fate,fate_step,commercialized_in,
//	then per region R: R_reached10,R_reached50,R_reached90,
//	R_adoption_at_24,R_adoption_at_60
//
// discovered is -1 for an innovation already commercialized at step 0;
// fate is pending, commercialized or lost, fate_step the step of
// commercialization or loss (empty while pending); R_reachedNN is the step
// at whose end NN % of R's firms had adopted it and R_adoption_at_A the
// share of R's firms that had adopted it A steps after its
// commercialization, each empty when that did not happen within the run.
type InnovationsWriter struct {
	csv     *csv.Writer
	regions []string
	cities  []string
	extra   []string
}

// NewInnovationsWriter returns a writer of the innovation log of runs of
// cfg, with optional extra leading columns.
func NewInnovationsWriter(w io.Writer, cfg *sim.Config, extra ...string) *InnovationsWriter {
	var cities []string
	for _, r := range cfg.Regions {
		for _, c := range r.Cities {
			cities = append(cities, c.ID)
		}
	}
	return &InnovationsWriter{csv: csv.NewWriter(w), regions: cfg.RegionIDs(), cities: cities, extra: slices.Clone(extra)}
}

// WriteHeader writes the header row.
func (iw *InnovationsWriter) WriteHeader() error {
	h := append(slices.Clone(iw.extra), "replicate", "seed", "innovation", "origin_region", "origin_city",
		"discovered", "fate", "fate_step", "commercialized_in")
	for _, r := range iw.regions {
		h = append(h, r+"_reached10", r+"_reached50", r+"_reached90")
		for _, a := range sim.AdoptionAges {
			h = append(h, fmt.Sprintf("%s_adoption_at_%d", r, a))
		}
	}
	iw.csv.Write(h)
	iw.csv.Flush()
	if err := iw.csv.Error(); err != nil {
		return fmt.Errorf("write innovations header: %w", err)
	}
	return nil
}

// WriteRun writes the innovation log of one run; values fill the extra
// columns.
func (iw *InnovationsWriter) WriteRun(run *sim.RunResult, values ...string) error {
	if len(values) != len(iw.extra) {
		panic(fmt.Sprintf("output: InnovationsWriter.WriteRun got %d extra values, want %d", len(values), len(iw.extra)))
	}
	step := func(s int) string {
		if s < 0 {
			return ""
		}
		return strconv.Itoa(s)
	}
	for x, in := range run.Innovations {
		rec := append(slices.Clone(values), strconv.Itoa(run.Replicate), strconv.FormatUint(run.Seed, 10), strconv.Itoa(x),
			iw.regions[in.Origin], iw.cities[in.OriginCity], strconv.Itoa(in.Discovered), in.Fate, "", "")
		if in.Fate != sim.FatePending {
			rec[len(rec)-2] = strconv.Itoa(in.FateStep)
		}
		if in.Region >= 0 {
			rec[len(rec)-1] = iw.regions[in.Region]
		}
		for r := range iw.regions {
			for t := range in.Reached {
				rec = append(rec, step(in.Reached[t][r]))
			}
			for a := range in.AtAge {
				v := ""
				if !math.IsNaN(in.AtAge[a][r]) {
					v = formatFloat(in.AtAge[a][r])
				}
				rec = append(rec, v)
			}
		}
		iw.csv.Write(rec)
	}
	iw.csv.Flush()
	if err := iw.csv.Error(); err != nil {
		return fmt.Errorf("write innovations of replicate %d: %w", run.Replicate, err)
	}
	return nil
}
