package optimize

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/triad-sim/triad/runs"
)

// sameResult reports where b differs from a, but for their settings
// (which hold the store and the shard).
func sameResult(t *testing.T, what string, a, b *Result) {
	t.Helper()
	x, y := *a, *b
	x.Settings, y.Settings = Settings{}, Settings{}
	if !reflect.DeepEqual(x, y) {
		t.Errorf("%s: the result differs from the one-process search's", what)
	}
}

// TestSearchThroughAStoreIsTheSame: a search that keeps its runs in a
// folder's store, one from the full store (which runs nothing) and three
// concurrent shards sharing a store each give the one-process search's
// result to the bit; every run the search used is in the store.
func TestSearchThroughAStoreIsTheSame(t *testing.T) {
	base := Settings{Levers: 3, Signs: []float64{1, -1}, Evaluations: 400, Replications: 2, Fresh: 4, Top: 2, Workers: 3}
	f := func(s []float64) []float64 { return []float64{bowl([]float64{0.5, 0.3, 0.2})(s)[0], s[0] * s[1]} }
	newEv := func() *analytic { return &analytic{seed: 7, f: f, common: 0.3, own: 0.05} }
	want, err := Search(t.Context(), newEv(), base, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	key := base.Key("scenario", "levers", 7)

	dir := t.TempDir()
	s := base
	s.Store = FolderStore(dir, key)
	ev := newEv()
	got, err := Search(t.Context(), ev, s, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameResult(t, "with a store", want, got)
	stored, _ := os.ReadDir(filepath.Join(dir, EvaluationsDir))
	if len(stored) != ev.runs {
		t.Errorf("the store holds %d runs, the search ran %d", len(stored), ev.runs)
	}
	ev = newEv()
	if got, err = Search(t.Context(), ev, s, nil, nil); err != nil {
		t.Fatal(err)
	}
	sameResult(t, "from a full store", want, got)
	if ev.runs != 0 {
		t.Errorf("a search from a full store ran %d runs, want none", ev.runs)
	}

	shared := t.TempDir()
	results := make([]*Result, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			s := base
			s.Store, s.Shard, s.Shards = FolderStore(shared, key), i, 3
			results[i], errs[i] = Search(t.Context(), newEv(), s, nil, nil)
		})
	}
	wg.Wait()
	for i := range results {
		if errs[i] != nil {
			t.Fatalf("shard %d: %v", i, errs[i])
		}
		sameResult(t, "shard "+string(rune('0'+i))+" of 3", want, results[i])
	}

	// A store of another optimization is refused, naming the file.
	s.Store = FolderStore(dir, base.Key("other scenario", "levers", 7))
	if _, err := Search(t.Context(), newEv(), s, nil, nil); !errors.Is(err, runs.ErrBadFile) {
		t.Errorf("a search through another optimization's store: %v, want ErrBadFile", err)
	}
}

// TestEvaluationNames: the names EvaluationName gives are recognised, and
// nothing else.
func TestEvaluationNames(t *testing.T) {
	for _, name := range []string{EvaluationName("1,2,0/3", 5), EvaluationName("none", 1<<30), EvaluationName("4/4", 0), ".1-3_4-r2.bin.tmp-123"} {
		if !isEvaluationName(name) {
			t.Errorf("%q is not recognised as an evaluation's record", name)
		}
	}
	for _, name := range []string{"thesis.tex", "1-2_3-r.bin", "1-2_3-r-1.bin", "1-2-r3.bin", "none-r3.txt", "x-r3.bin"} {
		if isEvaluationName(name) {
			t.Errorf("%q is taken for an evaluation's record", name)
		}
	}
}
