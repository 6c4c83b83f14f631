package optimize

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/triad-sim/triad/runs"
)

// maxStateBytes caps the state file read back: the figures of the
// largest search a command allows are far fewer.
const maxStateBytes = 256 << 20

// State is what an unfinished optimization keeps in its folder after
// every round (StateName), so that `triad optimize --resume OUT` can go
// on: the command that started it, the hashes of its scenario and levers
// (which must not change in between), and every figure computed so far.
// JSON keeps each float64 to the bit, so the search replays to the same
// answer.
type State struct {
	SchemaVersion  int      `json:"schema_version"`
	Version        string   `json:"version"`
	Command        []string `json:"command"`
	ScenarioSHA256 string   `json:"scenario_sha256"`
	LeversSHA256   string   `json:"levers_sha256"`
	// Key is the optimization's (Settings.Key): a shard joins only the
	// optimization of its own key.
	Key string `json:"key,omitempty"`
	// Figures maps an allocation's key and a replicate index to the
	// objectives' figures (null for NaN).
	Figures map[string]map[string][]*float64 `json:"figures"`
}

// WithMemo returns s holding memo's figures.
func (s State) WithMemo(memo Memo) State {
	s.Figures = map[string]map[string][]*float64{}
	for key, reps := range memo {
		m := map[string][]*float64{}
		for rep, figs := range reps {
			row := make([]*float64, len(figs))
			for o, v := range figs {
				row[o] = jsonNum(v)
			}
			m[strconv.Itoa(rep)] = row
		}
		s.Figures[key] = m
	}
	return s
}

// Memo is the figures the state holds.
func (s State) Memo(levers, objectives int) (Memo, error) {
	memo := Memo{}
	for key, reps := range s.Figures {
		if _, err := ParseKey(key, levers); err != nil {
			return nil, err
		}
		memo[key] = map[int][]float64{}
		for rep, row := range reps {
			r, err := strconv.Atoi(rep)
			if err != nil || r < 0 || strconv.Itoa(r) != rep || len(row) != objectives {
				return nil, fmt.Errorf("replicate %q of %s is not one of %d figures", rep, key, objectives)
			}
			figs := make([]float64, len(row))
			for o, v := range row {
				figs[o] = math.NaN()
				if v != nil {
					figs[o] = *v
				}
			}
			memo[key][r] = figs
		}
	}
	return memo, nil
}

// WriteState replaces the state file of the folder dir, atomically.
func WriteState(dir string, s State) error {
	return runs.WriteFileAtomic(filepath.Join(dir, StateName), func(w io.Writer) error {
		return json.NewEncoder(w).Encode(s)
	})
}

// ReadState reads the state of the unfinished optimization in dir, which
// the command (its first word in the state) started. A state that is
// damaged or not an optimization's, a folder that holds a finished
// optimization or none give an error wrapping runs.ErrBadFile that says
// which.
func ReadState(dir, command string) (State, error) {
	path := filepath.Join(dir, StateName)
	var s State
	if runs.IsFile(filepath.Join(dir, Name)) {
		return s, fmt.Errorf("%s holds a finished optimization (%s): nothing to resume: %w", dir, Name, runs.ErrBadFile)
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return s, fmt.Errorf("%s holds no unfinished optimization (no %s): run it again: %w", dir, StateName, runs.ErrBadFile)
	}
	b, err := runs.ReadFile(path, "an optimization's state", maxStateBytes)
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("%s: %w: %w", path, err, runs.ErrBadFile)
	}
	if s.SchemaVersion != schemaVersion || len(s.Command) == 0 || s.Command[0] != command {
		return s, fmt.Errorf("%s is not the state of an optimization this triad can continue: %w", path, runs.ErrBadFile)
	}
	return s, nil
}

// Checkpoint replaces the state of the unfinished optimization in dir by
// s holding memo. With shared (shards share the folder) it leaves alone a
// folder whose optimization another shard finished, or whose state holds
// at least as many runs (a shard that is ahead wrote it): every shard's
// memo after a round holds the same figures, so the state only grows.
func Checkpoint(dir string, s State, memo Memo, shared bool) error {
	if shared {
		if runs.IsFile(filepath.Join(dir, Name)) {
			return nil
		}
		if cur, err := ReadState(dir, s.Command[0]); err == nil && count(cur.Figures) >= memo.count() {
			return nil
		}
	}
	return WriteState(dir, s.WithMemo(memo))
}

// count is how many runs' figures a memo holds.
func (m Memo) count() int {
	n := 0
	for _, reps := range m {
		n += len(reps)
	}
	return n
}

// count is how many runs' figures a state's Figures hold.
func count(figs map[string]map[string][]*float64) int {
	n := 0
	for _, reps := range figs {
		n += len(reps)
	}
	return n
}
