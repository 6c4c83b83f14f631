package calibrate

import (
	"context"
	"math/rand/v2"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
)

// memStore is a Store in memory that counts what it saves.
type memStore struct {
	mu    sync.Mutex
	m     map[[2]int]Evaluated
	saved atomic.Int64
}

func newMemStore() *memStore { return &memStore{m: map[[2]int]Evaluated{}} }

func (s *memStore) Load(g, i int) (Evaluated, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[[2]int{g, i}]
	return e, ok, nil
}

func (s *memStore) Save(g, i int, e Evaluated) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[[2]int{g, i}] = e
	s.saved.Add(1)
	return nil
}

// TestAStoreAndShardsChangeNothing runs one fit four ways: alone; with a
// store; with a store that holds every proposal already (nothing is
// simulated again); and as three processes sharing a store, each
// preferring its own share of every batch, run at once. All four give the
// same result, to the bit.
func TestAStoreAndShardsChangeNothing(t *testing.T) {
	var calls atomic.Int64
	noise := noisy([]float64{0.5, 1})
	p := Problem{
		Params:   []Param{{"a", -5, 5}, {"b", -20, 20}},
		Observed: []float64{1, 2}, Scale: []float64{0.5, 1},
		Simulate: func(ctx context.Context, theta []float64, rng *rand.Rand) ([]float64, error) {
			calls.Add(1)
			return noise(ctx, theta, rng)
		},
	}
	set := Settings{Particles: 30, Generations: 3, Seed: 4, Workers: 2}
	want, err := Fit(context.Background(), p, set, nil)
	if err != nil {
		t.Fatal(err)
	}
	store := newMemStore()
	withStore := set
	withStore.Store = store
	got, err := Fit(context.Background(), p, withStore, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("a fit with a store differs from one without")
	}
	calls.Store(0)
	if again, err := Fit(context.Background(), p, withStore, nil); err != nil || !reflect.DeepEqual(again, want) {
		t.Errorf("a fit from a full store differs (error %v)", err)
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("a fit from a full store simulated %d proposals, want none", n)
	}

	shared := newMemStore()
	results := make([]*Result, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			s := set
			s.Store, s.Shard, s.Shards, s.Workers = shared, i, len(results), 1
			results[i], errs[i] = Fit(context.Background(), p, s, nil)
		})
	}
	wg.Wait()
	for i, r := range results {
		if errs[i] != nil {
			t.Fatalf("shard %d: %v", i, errs[i])
		}
		if !reflect.DeepEqual(r, want) {
			t.Errorf("shard %d of 3 differs from the fit in one process", i)
		}
	}
	if n, m := shared.saved.Load(), int64(len(shared.m)); n > 2*m {
		t.Errorf("the shards simulated %d proposals for %d distinct ones: more than twice", n, m)
	}
}
