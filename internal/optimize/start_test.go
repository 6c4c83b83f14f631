package optimize

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triad-sim/triad/runs"
)

// testRequest is a small optimization of testLevers on the small scenario
// of the command's tests, cut to 30 steps, into dir.
func testRequest(t *testing.T, dir string) Request {
	t.Helper()
	ev := testEvaluator(t, 2)
	src, err := os.ReadFile(filepath.Join("..", "..", "cmd", "triad", "testdata", "fit", "small.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := ev.Config
	cfg.Replicates = 2
	return Request{Src: src, Config: cfg, LeversFile: "l.yaml", LeversSrc: []byte(testLevers),
		Settings: Settings{Evaluations: 100, Replications: 2, Fresh: 4, Top: 2}, Dir: dir, Workers: 2,
		Program: runs.Program{Version: "test"}, Command: []string{"optimize", "small.yaml", "--levers", "l.yaml"}}
}

// sameFile reports whether the file name is the same bytes in folders a
// and b.
func sameFile(t *testing.T, a, b, name string) {
	t.Helper()
	x, err := os.ReadFile(filepath.Join(a, name))
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(filepath.Join(b, name))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(x, y) {
		t.Errorf("%s differs between %s and %s", name, a, b)
	}
}

// TestStartGoesOnWhereItStopped: an optimization stopped before its first
// round keeps nothing to go on from; one stopped after its first round
// keeps its state, goes on from it (saying so through Begin) and ends
// with the answer and the files of the optimization that never stopped;
// a shard alone gives them too, through the folder's store.
func TestStartGoesOnWhereItStopped(t *testing.T) {
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole")
	want, err := Start(t.Context(), testRequest(t, whole))
	if err != nil {
		t.Fatal(err)
	}
	if runs.IsFile(filepath.Join(whole, StateName)) || !runs.IsFile(filepath.Join(whole, Name)) {
		t.Fatalf("a finished optimization: want %s and no %s in its folder", Name, StateName)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var stopped *InterruptedError
	if _, err := Start(ctx, testRequest(t, filepath.Join(dir, "at once"))); !errors.As(err, &stopped) || stopped.Kept || !errors.Is(err, context.Canceled) {
		t.Errorf("stopped before its first round: got %v, want an InterruptedError that keeps nothing", err)
	}

	later := filepath.Join(dir, "later")
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	req := testRequest(t, later)
	req.Round = func(k, evaluated int) {
		if k == 1 {
			cancel()
		}
	}
	if _, err := Start(ctx, req); !errors.As(err, &stopped) || !stopped.Kept {
		t.Fatalf("stopped after its first round: got %v, want an InterruptedError that keeps the rounds", err)
	}
	st, err := ReadState(later, "optimize")
	if err != nil {
		t.Fatal(err)
	}
	req = testRequest(t, later)
	req.Resume = &st
	continued, before := false, -1
	req.Begin = func(c bool, evaluated int) { continued, before = c, evaluated }
	got, err := Start(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !continued || before < 1 {
		t.Errorf("Begin(%v, %d), want it told that the search goes on from the allocations of the first round", continued, before)
	}
	sameResult(t, "gone on from a state", want.Result, got.Result)
	sameFile(t, whole, later, Name)

	shard := filepath.Join(dir, "shard")
	req = testRequest(t, shard)
	req.Shard = &runs.Shard{Index: 0, Count: 1}
	got, err = Start(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	sameResult(t, "a shard alone", want.Result, got.Result)
	sameFile(t, whole, shard, Name)
	if !runs.IsFile(filepath.Join(shard, EvaluationsDir)) {
		t.Errorf("the shard kept no runs in %s", EvaluationsDir)
	}
}

// TestStartRefuses: every input Start refuses gives the error its caller
// words, before any run (the folder of a refused new optimization is not
// made).
func TestStartRefuses(t *testing.T) {
	dir := t.TempDir()
	finished := filepath.Join(dir, "finished")
	if _, err := Start(t.Context(), testRequest(t, finished)); err != nil {
		t.Fatal(err)
	}
	// unfinished holds the state of an optimization of finished's request.
	unfinished := filepath.Join(dir, "unfinished")
	req := testRequest(t, unfinished)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	req.Round = func(int, int) { cancel() }
	if _, err := Start(ctx, req); err == nil {
		t.Fatal("the optimization to stop was not stopped")
	}
	st, err := ReadState(unfinished, "optimize")
	if err != nil {
		t.Fatal(err)
	}
	badFigures := st
	badFigures.Figures = map[string]map[string][]*float64{"1,0,0/1": {"0": {nil, nil}}}

	isInput := func(err error) bool { return errors.As(err, new(*InputError)) }
	changed := func(input string) func(error) bool {
		return func(err error) bool { c := new(ChangedError); return errors.As(err, &c) && c.Input == input }
	}
	edited := func(b []byte) []byte { return append([]byte("# changed\n"), b...) }
	badLevers := []byte(strings.Replace(testLevers, "cost_per_unit: 20", "cost_per_unit: -1", 1))
	for _, c := range []struct {
		name   string
		change func(*Request)
		check  func(error) bool
		want   string
	}{
		{"a levers file with a mistake", func(r *Request) { r.LeversSrc = badLevers },
			isInput, "l.yaml:6:20: levers[0].cost_per_unit: -1 is not a positive number"},
		{"too few evaluations", func(r *Request) { r.Settings.Evaluations = 1 },
			func(err error) bool { return errors.Is(err, ErrBudget) }, "too few evaluations"},
		{"a finished optimization without force", func(r *Request) { r.Dir = finished },
			func(err error) bool { return errors.Is(err, runs.ErrExists) }, "add --force"},
		{"a shard of a finished optimization", func(r *Request) { r.Dir, r.Shard = finished, &runs.Shard{Index: 1, Count: 2} },
			func(err error) bool { return errors.Is(err, ErrFinished) }, "finished"},
		{"a changed scenario", func(r *Request) { r.Dir, r.Resume, r.Src = unfinished, &st, edited(r.Src) },
			changed("scenario"), "the scenario changed"},
		{"changed levers", func(r *Request) { r.Dir, r.Resume, r.LeversSrc = unfinished, &st, edited(r.LeversSrc) },
			changed("levers"), "the levers changed"},
		{"a state of other levers", func(r *Request) { r.Dir, r.Resume = unfinished, &badFigures },
			isInput, filepath.Join(unfinished, StateName) + `: "1,0,0/1" is not an allocation of 2 levers`},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := testRequest(t, filepath.Join(dir, "new"))
			c.change(&req)
			req.Round = func(int, int) { t.Error("a refused optimization ran a round") }
			_, err := Start(t.Context(), req)
			if err == nil || !c.check(err) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want the error of its kind saying %q", err, c.want)
			}
		})
	}
	if runs.IsFile(filepath.Join(dir, "new")) {
		t.Error("a refused optimization made its folder")
	}
}
