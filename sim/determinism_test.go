package sim

import (
	"context"
	"fmt"
	"hash/fnv"
	"testing"
)

// digest hashes every number a Result holds, so that two results compare
// equal only when they are identical to the bit.
func digest(t testing.TB, res *Result) uint64 {
	t.Helper()
	h := fnv.New64a()
	for _, run := range res.Runs {
		if run == nil {
			t.Fatal("missing run")
		}
		fmt.Fprintf(h, "%d %d %d %v %v %v %v|", run.Point, run.Replicate, run.Seed, run.Transfer, run.Lags, run.T50, run.Reached50)
		for _, r := range run.Rows {
			fmt.Fprintf(h, "%+v", r)
		}
	}
	return h.Sum64()
}

func TestSameAnswerWhateverTheWorkers(t *testing.T) {
	cases := map[string]Config{
		"toy with fixed contacts": toyConfig(),
		"well-mixed bass":         bassConfig(20_000, 15, 3, 0.003, 0.35, 0.01),
	}
	big := toyConfig()
	big.Replicates = 1
	for i := range big.Regions {
		for j := range big.Regions[i].Cities {
			big.Regions[i].Cities[j].Firms *= 15 // several blocks per run
		}
	}
	big.Steps = 25
	cases["one run of many blocks"] = big
	many := toyConfig()
	many.Replicates = 2
	for i := range many.Regions {
		for j := range many.Regions[i].Cities {
			many.Regions[i].Cities[j].Labs *= 8 // rows of more than 64 innovations
			many.Regions[i].Cities[j].Firms *= 4
		}
	}
	cases["more than 64 innovations"] = many
	for name, cfg := range cases {
		t.Run(name, func(t *testing.T) {
			mustValid(t, cfg)
			workers := []int{1, 2, 3, 8}
			if testing.Short() { // the race pass of make test: 3 workers are enough to race
				workers = []int{1, 3}
			}
			var want uint64
			for _, w := range workers {
				res, err := Run(context.Background(), cfg, Options{Workers: w})
				if err != nil {
					t.Fatal(err)
				}
				got := digest(t, res)
				if w == 1 {
					want = got
				} else if got != want {
					t.Errorf("%d workers: digest %x, want %x as with 1 worker", w, got, want)
				}
			}
		})
	}
}

func TestSeeds(t *testing.T) {
	cfg := mustValid(t, toyConfig())
	a, _ := Run(context.Background(), cfg, Options{})
	b, _ := Run(context.Background(), cfg, Options{})
	if digest(t, a) != digest(t, b) {
		t.Error("the same seed twice gave different results")
	}
	cfg.Seed++
	c, _ := Run(context.Background(), cfg, Options{})
	if digest(t, a) == digest(t, c) {
		t.Error("different seeds gave the same result")
	}
}
