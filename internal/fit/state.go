package fit

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

// maxStateBytes caps the fit state file read back: a population of the
// largest fit a command allows is far smaller.
const maxStateBytes = 256 << 20

// State is what a fit keeps in its folder from its start and after each
// generation (runs.FitStateName), so that it can continue after an
// interruption and other processes can join it (shards): the
// command that started it, the hashes of its scenario and targets (which
// must not change in between), the date it started (the fitted scenario's
// header gives it) and the generations done (none at the start) with the
// last one's population.
type State struct {
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

// newState records checkpoint c of the fit s.
func newState(s *Spec, c calibrate.Checkpoint) State {
	st := State{SchemaVersion: s.Schema, Version: s.Version, Command: s.Command, Date: s.Date,
		ScenarioSHA256: sha256Hex(s.Src), TargetsSHA256: sha256Hex(s.TargetsSrc)}
	for _, g := range c.Generations {
		sg := stateGeneration{Proposals: g.Proposals, Simulated: g.Simulated, Accepted: g.Accepted, ESS: g.ESS}
		if !math.IsInf(g.Tolerance, 1) {
			t := g.Tolerance
			sg.Tolerance = &t
		}
		st.Generations = append(st.Generations, sg)
	}
	for _, q := range c.Particles {
		st.Particles = append(st.Particles, stateParticle{q.Theta, q.Weight, q.Distance, q.Figures})
	}
	return st
}

// Done is the number of generations the state holds.
func (st *State) Done() int { return len(st.Generations) }

// ScenarioChanged and TargetsChanged report whether the scenario or the
// targets read now differ from those the fit started with.
func (st *State) ScenarioChanged(src []byte) bool { return sha256Hex(src) != st.ScenarioSHA256 }

// TargetsChanged: see ScenarioChanged.
func (st *State) TargetsChanged(tsrc []byte) bool { return sha256Hex(tsrc) != st.TargetsSHA256 }

// checkpoint returns the checkpoint the state holds. JSON keeps every
// float64 to the bit (shortest round-trip form), so the fit continues as
// if it had not stopped.
func (st *State) checkpoint() calibrate.Checkpoint {
	var c calibrate.Checkpoint
	for _, g := range st.Generations {
		tol := math.Inf(1)
		if g.Tolerance != nil {
			tol = *g.Tolerance
		}
		c.Generations = append(c.Generations, calibrate.Generation{Tolerance: tol, Proposals: g.Proposals, Simulated: g.Simulated, Accepted: g.Accepted, ESS: g.ESS})
	}
	for _, q := range st.Particles {
		c.Particles = append(c.Particles, calibrate.Particle{Theta: q.Theta, Weight: q.Weight, Distance: q.Distance, Figures: q.Figures})
	}
	return c
}

// writeState replaces the state file of the fit folder dir, atomically.
func writeState(dir string, st State) error {
	return runs.WriteFileAtomic(filepath.Join(dir, runs.FitStateName), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	})
}

// ReadState reads the state of the unfinished fit in dir, which a triad
// of the given schema version wrote. Every error is the input's fault.
func ReadState(dir string, schema int) (*State, error) {
	path := filepath.Join(dir, runs.FitStateName)
	if runs.IsFile(filepath.Join(dir, runs.FitName)) {
		return nil, fmt.Errorf("%s holds a finished fit (%s): nothing to resume", dir, runs.FitName)
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("%s holds no unfinished fit (no %s): run the fit again", dir, runs.FitStateName)
	case err != nil:
		return nil, err
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file", path)
	case info.Size() > maxStateBytes:
		return nil, fmt.Errorf("%s is %d bytes, more than a fit state's %d", path, info.Size(), maxStateBytes)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var st State
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if st.SchemaVersion != schema || len(st.Command) == 0 || st.Command[0] != "fit" || len(st.Particles) > 0 && len(st.Generations) == 0 {
		return nil, fmt.Errorf("%s is not the state of a fit this triad can continue", path)
	}
	return &st, nil
}
