package optimize

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// Request is an optimization to run in a folder, or to go on with there.
type Request struct {
	// Src is the scenario's source and Config the scenario as the
	// optimization runs it (the baseline): with the seed the runs derive
	// from, Settings.Replications replicates and no sweep.
	Src    []byte
	Config sim.Config
	// LeversFile names the levers file (as given) and LeversSrc is its
	// content.
	LeversFile string
	LeversSrc  []byte
	// Settings are the search's Evaluations, Replications, Fresh and Top;
	// Start sets the rest from the levers, the folder and Shard.
	Settings Settings
	// Dir is the folder. Force replaces the optimization it holds, when
	// neither Resume nor Shard is set.
	Dir   string
	Force bool
	// Shard, when set, shares the folder with the processes given the
	// same request: this one joins the optimization the folder holds, or
	// starts it, and runs share Shard.Index of every batch of runs first.
	Shard *runs.Shard
	// Workers is how many runs go at once; it never changes the figures.
	Workers int
	// Resume is the state of the unfinished optimization in Dir to go on
	// with (see ReadState); nil for a new one, or for a shard, the one it
	// joins.
	Resume *State
	// Program is the triad that runs the optimization, and Command the
	// command line that the state records (its first word the command,
	// "optimize"), from which the optimization goes on.
	Program runs.Program
	Command []string
	// Begin, when set, is called once, just before the search starts:
	// with whether it goes on from a state (Resume's or the one a shard
	// joins) and how many allocations that state had evaluated.
	Begin func(continued bool, evaluated int)
	// Round, when set, is called after each round that the folder keeps
	// (k from 1), with the allocations evaluated so far.
	Round func(k, evaluated int)
}

// InputError is an input of an optimization that cannot be used: a
// levers file that does not load, or a state whose figures do not fit the
// levers. Its message says where.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// ChangedError means that an unfinished optimization cannot go on: its
// Input, "scenario" or "levers", is no longer the file it started with.
type ChangedError struct{ Input string }

func (e *ChangedError) Error() string {
	return "the " + e.Input + " changed since the optimization started"
}

// InterruptedError means that the search stopped because its context was
// done. Kept says whether the folder keeps the rounds done (its state,
// StateName), from which the optimization can go on; it does not before
// the first round is done, unless it went on from a state or is shared.
type InterruptedError struct {
	Kept bool
	Err  error
}

func (e *InterruptedError) Error() string {
	if e.Kept {
		return "interrupted while optimizing: the rounds done are kept"
	}
	return "interrupted while optimizing, before its first round was done"
}

func (e *InterruptedError) Unwrap() error { return e.Err }

// sha256Hex is the hex SHA-256 of b, as manifests record files.
func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Start runs the optimization req asks for and writes its folder. It
// loads the levers against the scenario, checks that the evaluations pay
// for a race (an error wrapping ErrBudget), and readies the folder: a new
// optimization Prepares it; a shard Joins it (ErrFinished, wrapped, when
// the optimization there is done); one that goes on checks that its
// scenario and levers are those it started with (*ChangedError). It keeps
// the state in the folder after every round (see Checkpoint) and, once
// the search and its honest re-run are done, writes the folder (Report
// Write) and returns the Report. A levers file or a state that cannot be
// used gives an *InputError, a stop through ctx an *InterruptedError; the
// folder's errors are runs'.
func Start(ctx context.Context, req Request) (*Report, error) {
	cfg := req.Config
	lv, err := scenarios.LoadLevers(req.LeversFile, req.LeversSrc, &cfg)
	if err != nil {
		return nil, &InputError{err}
	}
	objectives := []scenarios.Objective{*lv.Objective}
	if lv.Second != nil {
		objectives = append(objectives, *lv.Second)
	}
	s := req.Settings
	s.Levers, s.Signs = len(lv.Levers), nil
	for _, obj := range objectives {
		s.Signs = append(s.Signs, obj.Sign())
	}
	if err := CheckBudget(s); err != nil {
		return nil, err
	}
	scenarioSHA, leversSHA := sha256Hex(req.Src), sha256Hex(req.LeversSrc)
	key := s.Key(scenarioSHA, leversSHA, cfg.Seed)
	dir, st, shared := req.Dir, req.Resume, req.Shard != nil
	if st == nil && shared {
		if st, err = Join(dir, key, req.Command[0]); err != nil {
			return nil, err
		}
	}
	var memo Memo
	switch {
	case st != nil:
		if memo, err = resumed(st, dir, scenarioSHA, leversSHA, len(lv.Levers), len(objectives)); err != nil {
			return nil, err
		}
	case !shared:
		if err := Prepare(dir, req.Force); err != nil {
			return nil, err
		}
	}
	state := State{SchemaVersion: schemaVersion, Version: req.Program.Version, Command: req.Command,
		ScenarioSHA256: scenarioSHA, LeversSHA256: leversSHA, Key: key}
	if shared || runs.IsFile(filepath.Join(dir, EvaluationsDir)) {
		// Every run goes through the folder's store, which the shards share.
		s.Store, s.Workers = FolderStore(dir, key), req.Workers
		if shared {
			s.Shard, s.Shards = req.Shard.Index, req.Shard.Count
		}
	}
	if shared && st == nil {
		// The state first: a shard that finds the folder no longer empty
		// finds the optimization to join.
		if err := Checkpoint(dir, state, Memo{}, true); err != nil {
			return nil, err
		}
	}
	if req.Begin != nil {
		req.Begin(st != nil, len(memo))
	}
	ev := &SimEvaluator{Config: cfg, Levers: lv, Objectives: objectives, Workers: req.Workers}
	rounds := 0
	res, err := Search(ctx, ev, s, memo, func(m Memo) error {
		if err := Checkpoint(dir, state, m, shared); err != nil {
			return err
		}
		rounds++
		if req.Round != nil {
			req.Round(rounds, len(m))
		}
		return nil
	})
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, &InterruptedError{Kept: runs.IsFile(filepath.Join(dir, StateName)), Err: err}
	case err != nil:
		return nil, fmt.Errorf("optimize %s: %w", cfg.Name, err)
	}
	rep := &Report{Program: req.Program, Scenario: cfg, ScenarioSHA256: scenarioSHA, LeversFile: req.LeversFile, LeversSHA256: leversSHA,
		Levers: lv, Objectives: objectives, Result: res, Workers: req.Workers, Key: key}
	if err := rep.Write(dir); err != nil {
		return nil, err
	}
	return rep, nil
}

// resumed is the memo of the state st of the unfinished optimization in
// dir, after checking that its scenario and levers have the hashes it
// started with and that its figures are of the levers and objectives.
func resumed(st *State, dir, scenarioSHA, leversSHA string, levers, objectives int) (Memo, error) {
	switch {
	case scenarioSHA != st.ScenarioSHA256:
		return nil, &ChangedError{Input: "scenario"}
	case leversSHA != st.LeversSHA256:
		return nil, &ChangedError{Input: "levers"}
	}
	memo, err := st.Memo(levers, objectives)
	if err != nil {
		return nil, &InputError{fmt.Errorf("%s: %w", filepath.Join(dir, StateName), err)}
	}
	return memo, nil
}
