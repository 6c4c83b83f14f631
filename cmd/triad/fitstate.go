package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/triad-sim/triad/internal/calibrate"
	"github.com/triad-sim/triad/runs"
)

// maxFitStateBytes caps the fit state file triad reads back: a population
// of the largest fit a command allows is far smaller.
const maxFitStateBytes = 256 << 20

// fitState is what a fit keeps in its folder after each generation
// (runs.FitStateName), so that `triad fit --resume OUT` can continue it
// after an interruption: the command that started it, the hashes of its
// scenario and targets (which must not change in between), the date it
// started (the fitted scenario's header gives it) and the checkpoint.
type fitState struct {
	SchemaVersion  int               `json:"schema_version"`
	Version        string            `json:"version"`
	Command        []string          `json:"command"`
	Date           string            `json:"date"`
	ScenarioSHA256 string            `json:"scenario_sha256"`
	TargetsSHA256  string            `json:"targets_sha256"`
	Generations    []stateGeneration `json:"generations"`
	Particles      []stateParticle   `json:"particles"`
}

type stateGeneration struct {
	Tolerance *float64 `json:"tolerance"` // null for the first, whose tolerance is infinite
	Proposals int      `json:"proposals"`
	Simulated int      `json:"simulated"`
	Accepted  int      `json:"accepted"`
	ESS       float64  `json:"ess"`
}

type stateParticle struct {
	Theta    []float64 `json:"theta"`
	Weight   float64   `json:"weight"`
	Distance float64   `json:"distance"`
	Figures  []float64 `json:"figures"`
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// newFitState records checkpoint c of the fit started by command.
func newFitState(command []string, date string, src, tsrc []byte, c calibrate.Checkpoint) fitState {
	s := fitState{SchemaVersion: schemaVersion, Version: version, Command: command, Date: date,
		ScenarioSHA256: sha256Hex(src), TargetsSHA256: sha256Hex(tsrc)}
	for _, g := range c.Generations {
		sg := stateGeneration{Proposals: g.Proposals, Simulated: g.Simulated, Accepted: g.Accepted, ESS: g.ESS}
		if !math.IsInf(g.Tolerance, 1) {
			t := g.Tolerance
			sg.Tolerance = &t
		}
		s.Generations = append(s.Generations, sg)
	}
	for _, q := range c.Particles {
		s.Particles = append(s.Particles, stateParticle{q.Theta, q.Weight, q.Distance, q.Figures})
	}
	return s
}

// checkpoint returns the checkpoint the state holds. JSON keeps every
// float64 to the bit (shortest round-trip form), so the fit continues as
// if it had not stopped.
func (s fitState) checkpoint() calibrate.Checkpoint {
	var c calibrate.Checkpoint
	for _, g := range s.Generations {
		tol := math.Inf(1)
		if g.Tolerance != nil {
			tol = *g.Tolerance
		}
		c.Generations = append(c.Generations, calibrate.Generation{Tolerance: tol, Proposals: g.Proposals, Simulated: g.Simulated, Accepted: g.Accepted, ESS: g.ESS})
	}
	for _, q := range s.Particles {
		c.Particles = append(c.Particles, calibrate.Particle{Theta: q.Theta, Weight: q.Weight, Distance: q.Distance, Figures: q.Figures})
	}
	return c
}

// writeFitState replaces the state file of the fit folder dir, atomically.
func writeFitState(dir string, s fitState) error {
	return runs.WriteFileAtomic(filepath.Join(dir, runs.FitStateName), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	})
}

// readFitState reads the state of the unfinished fit in dir.
func readFitState(dir string) (fitState, error) {
	path := filepath.Join(dir, runs.FitStateName)
	var s fitState
	if runs.IsFile(filepath.Join(dir, runs.FitName)) {
		return s, &inputError{fmt.Errorf("%s holds a finished fit (%s): nothing to resume", dir, runs.FitName)}
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return s, &inputError{fmt.Errorf("%s holds no unfinished fit (no %s): run the fit again", dir, runs.FitStateName)}
	case err != nil:
		return s, &inputError{err}
	case !info.Mode().IsRegular():
		return s, &inputError{fmt.Errorf("%s is not a regular file", path)}
	case info.Size() > maxFitStateBytes:
		return s, &inputError{fmt.Errorf("%s is %d bytes, more than a fit state's %d", path, info.Size(), maxFitStateBytes)}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return s, &inputError{err}
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, &inputError{fmt.Errorf("%s: %w", path, err)}
	}
	if s.SchemaVersion != schemaVersion || len(s.Command) == 0 || s.Command[0] != "fit" || len(s.Generations) == 0 {
		return s, &inputError{fmt.Errorf("%s is not the state of a fit this triad can continue", path)}
	}
	return s, nil
}
