package sim

import (
	"context"
	"math"
	"sync"
	"testing"
)

// TestObserveCities checks the city shares ObserveCities is given: in
// every step of every run, the firm-weighted mean of a region's city
// shares is the region's adoption share (the same adopters over the same
// innovations, split by city), and observing changes no number of the
// runs.
func TestObserveCities(t *testing.T) {
	cfg := toyConfig()
	plain, err := Run(context.Background(), cfg, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ rep, step int }
	var mu sync.Mutex
	regionShares := map[key][]float64{}
	cityShares := map[key][]float64{}
	watched, err := Run(context.Background(), cfg, Options{
		Workers: 2,
		Observe: func(_, rep, step int, rows []Row) {
			s := make([]float64, len(rows))
			for i, r := range rows {
				s[i] = r.AdoptionShare
			}
			mu.Lock()
			regionShares[key{rep, step}] = s
			mu.Unlock()
		},
		ObserveCities: func(_, rep, step int, shares []float64) {
			mu.Lock()
			cityShares[key{rep, step}] = append([]float64(nil), shares...)
			mu.Unlock()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if digest(t, plain) != digest(t, watched) {
		t.Fatal("observing the cities changed the runs")
	}
	if len(cityShares) != cfg.Replicates*cfg.Steps {
		t.Fatalf("%d observations, want %d runs × %d steps", len(cityShares), cfg.Replicates, cfg.Steps)
	}
	positive := 0
	for k, cs := range cityShares {
		c := 0
		for r, reg := range cfg.Regions {
			var adopters, firms float64
			for _, city := range reg.Cities {
				adopters += float64(city.Firms) * cs[c]
				firms += float64(city.Firms)
				c++
			}
			got, want := adopters/firms, regionShares[k][r]
			if math.Abs(got-want) > 1e-12 {
				t.Errorf("run %d step %d region %s: cities' mean share %v, region's %v", k.rep, k.step, reg.ID, got, want)
			}
			if want > 0 {
				positive++
			}
		}
		if c != len(cs) {
			t.Fatalf("%d city shares, want %d", len(cs), c)
		}
	}
	if positive == 0 {
		t.Error("no region ever adopted anything: the check says nothing")
	}
}
