package fit

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
)

// smallRequest is a new fit into dir of one parameter of the small
// scenario of testdata to one of its figures, small enough to run in a
// test; the targets file lists one parameter of its own.
func smallRequest(t *testing.T, dir string) *Request {
	t.Helper()
	src, cfg := smallScenario(t)
	lo, hi := 0.2, 5.0
	return &Request{Scenario: "small.yaml", Src: src, Config: cfg, TargetsFile: "targets.yaml",
		TargetsSrc: []byte("targets:\n  - metric: commercialization_rate\n    value: 0.3\n    uncertainty: 0.1\n    source: a test\n" +
			"params:\n  - path: cities.alpha.transform\n    low: 0.02\n    high: 0.3\n"),
		Params:   []scenarios.FitParam{{Path: "regions.south.pull", Low: &lo, High: &hi}},
		Settings: Settings{Particles: 4, Generations: 2, Quantile: 0.5, Seeds: SeedsFresh, Workers: 2},
		Command:  []string{"fit", "small.yaml"}, Date: "2026-01-02", Version: "test", Schema: 1,
		Dir: dir, Same: func(c []string) bool { return slices.Equal(c, []string{"fit", "small.yaml"}) },
	}
}

// TestNewJobRefusesBadInput checks the typed errors of a request whose
// targets or parameters are wrong, which the command words.
func TestNewJobRefusesBadInput(t *testing.T) {
	whole, bad := 1.0, 30.0
	for _, tc := range []struct {
		name   string
		change func(r *Request)
		is     error // or, when nil, an *InputError
	}{
		{"no parameters anywhere", func(r *Request) {
			r.Params = nil
			r.TargetsSrc = []byte("targets:\n  - metric: commercialization_rate\n    value: 0.3\n    uncertainty: 0.1\n    source: a test\n")
		}, ErrNoParams},
		{"a targets file that does not load", func(r *Request) { r.TargetsSrc = []byte("targets: []\n") }, nil},
		{"a whole-number parameter", func(r *Request) {
			r.Params = []scenarios.FitParam{{Path: "cities.alpha.labs", Low: &whole, High: &bad}}
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := smallRequest(t, filepath.Join(t.TempDir(), "out"))
			tc.change(r)
			_, err := NewJob(r)
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("got %v, want %v", err, tc.is)
			}
			if _, ok := errors.AsType[*InputError](err); tc.is == nil && !ok {
				t.Errorf("got %v (%T), want an *InputError", err, err)
			}
			if _, err := os.Stat(r.Dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a refused request made its folder: %v", err)
			}
		})
	}
}

// TestNewJobParams checks that a request's parameters replace the targets
// file's, and that the file's are fitted when the request names none.
func TestNewJobParams(t *testing.T) {
	for _, tc := range []struct {
		name   string
		params bool
		want   string
	}{
		{"the request's", true, "regions.south.pull"},
		{"the targets file's", false, "cities.alpha.transform"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := smallRequest(t, filepath.Join(t.TempDir(), "out"))
			if !tc.params {
				r.Params = nil
			}
			j, err := NewJob(r)
			if err != nil {
				t.Fatal(err)
			}
			if ps := j.spec.Params; len(ps) != 1 || ps[0].Label != tc.want {
				t.Errorf("fits %+v, want %s alone", ps, tc.want)
			}
		})
	}
}

// TestJobGoesOn interrupts a fit after its first generation and checks
// what a job of its folder finds: the interruption is ErrInterrupted; the
// fit goes on (Resume, or a shard of the same command) after one
// generation done and with its start date, but not with another
// scenario or targets file (a *ChangedError that says which); a shard of
// another command finds another fit; once the fit is finished, a shard
// finds it finished.
func TestJobGoesOn(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	j, err := NewJob(smallRequest(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if res, err := j.Run(ctx, func(g int, _ Generation) { cancel() }); !errors.Is(err, ErrInterrupted) || res != nil {
		t.Fatalf("an interrupted fit: got %v, %v; want no result and ErrInterrupted", res, err)
	}
	st, err := ReadState(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	sh := &runs.Shard{Index: 1, Count: 2}
	for _, tc := range []struct {
		name   string
		change func(r *Request)
		want   *ChangedError // nil: the job goes on
	}{
		{"resumed", func(r *Request) { r.Resume = st }, nil},
		{"joined by a shard", func(r *Request) { r.Shard = sh }, nil},
		{"resumed with another scenario", func(r *Request) {
			r.Resume, r.Src = st, append(slices.Clip(r.Src), '\n')
		}, &ChangedError{Dir: dir}},
		{"joined with other targets", func(r *Request) {
			r.Shard, r.TargetsSrc = sh, append(slices.Clip(r.TargetsSrc), '\n')
		}, &ChangedError{Targets: true, Dir: dir}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := smallRequest(t, dir)
			r.Date = "2027-12-31"
			tc.change(r)
			j, err := NewJob(r)
			if tc.want != nil {
				if c, ok := errors.AsType[*ChangedError](err); !ok || *c != *tc.want {
					t.Errorf("got %v, want %+v", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if j.Done() != 1 || j.spec.Date != "2026-01-02" {
				t.Errorf("goes on after %d generations from %s, want 1 from 2026-01-02", j.Done(), j.spec.Date)
			}
		})
	}
	other := smallRequest(t, dir)
	other.Shard, other.Same = sh, func([]string) bool { return false }
	want := dir + " holds another fit (triad fit small.yaml): a shard joins only the fit of its own command"
	if _, err := NewJob(other); !errors.As(err, new(*OtherFitError)) || err.Error() != want {
		t.Errorf("a shard of another fit: got %v, want an *OtherFitError %q", err, want)
	}

	r := smallRequest(t, dir)
	r.Resume = st
	if j, err = NewJob(r); err != nil {
		t.Fatal(err)
	}
	if res, err := j.Run(context.Background(), nil); err != nil || res == nil {
		t.Fatalf("the resumed fit: got %v, %v; want a result", res, err)
	}
	late := smallRequest(t, dir)
	late.Shard = sh
	if _, err := NewJob(late); !errors.Is(err, ErrFinished) {
		t.Errorf("a shard of the finished fit: got %v, want ErrFinished", err)
	}
	late.Same = other.Same
	if _, err := NewJob(late); !errors.As(err, new(*OtherFitError)) || err.Error() != dir+" holds another, finished fit" {
		t.Errorf("a shard of another, finished fit: got %v, want an *OtherFitError", err)
	}
}
