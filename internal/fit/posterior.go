package fit

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/sim"
)

// maxPosteriorBytes caps the posterior.csv read back: a population of the
// largest fit a command allows is far smaller.
const maxPosteriorBytes = 256 << 20

// ReadPosterior reads the weighted final population of the finished fit
// in folder dir (its fit.json and posterior.csv) as a sim.Posterior, for
// posterior predictive runs (triad run --posterior). Every error is the
// input's fault.
func ReadPosterior(dir string) (*sim.Posterior, error) {
	b, err := runs.ReadFile(filepath.Join(dir, runs.FitName), "a fit record", maxPosteriorBytes)
	if err != nil {
		return nil, fmt.Errorf("%s holds no finished fit: %w", dir, err)
	}
	var rec struct {
		Scenario    string `json:"scenario"`
		TargetsFile string `json:"targets_file"`
		Date        string `json:"date"`
		Params      []struct {
			Parameter string   `json:"parameter"`
			Paths     []string `json:"paths"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(b, &rec); err != nil || len(rec.Params) == 0 {
		return nil, fmt.Errorf("%s is not the record of a fit (%v)", filepath.Join(dir, runs.FitName), err)
	}
	path := filepath.Join(dir, "posterior.csv")
	b, err = runs.ReadFile(path, "a fit's posterior", maxPosteriorBytes)
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) < 2 || len(rows[0]) < 3+len(rec.Params) || rows[0][1] != "weight" {
		return nil, fmt.Errorf("%s: not the posterior of the fit %s records", path, runs.FitName)
	}
	p := &sim.Posterior{Fit: fmt.Sprintf("%s (triad fit of %s to %s, %s)", filepath.Base(filepath.Clean(dir)), rec.Scenario, rec.TargetsFile, rec.Date)}
	for j, q := range rec.Params {
		if rows[0][3+j] != q.Parameter {
			return nil, fmt.Errorf("%s: column %d is %q, not the parameter %q", path, 4+j, rows[0][3+j], q.Parameter)
		}
		p.Params = append(p.Params, sim.PosteriorParam{Paths: q.Paths})
	}
	for i, row := range rows[1:] {
		num := func(k int) (float64, error) {
			v, err := strconv.ParseFloat(row[k], 64)
			if err != nil {
				return 0, fmt.Errorf("%s:%d: %q is not a number", path, i+2, row[k])
			}
			return v, nil
		}
		w, err := num(1)
		if err != nil {
			return nil, err
		}
		p.Weights = append(p.Weights, w)
		for j := range p.Params {
			v, err := num(3 + j)
			if err != nil {
				return nil, err
			}
			p.Params[j].Values = append(p.Params[j].Values, v)
		}
	}
	return p, nil
}
