package sim

import (
	"math"
	"testing"
)

func TestKaplanMeierMedian(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name  string
		times []float64
		event []bool
		want  float64
	}{
		{"no censoring: the empirical median", []float64{5, 1, 3, 9}, []bool{true, true, true, true}, 3},
		{"odd count", []float64{4, 2, 8}, []bool{true, true, true}, 4},
		// S(2) = 5/6, S(4) = 5/6 · 3/4 = 0.625 (one at 3 censored), S(6) = 0.625 · 1/2 = 0.3125.
		{"censored times leave the risk set", []float64{2, 3, 4, 6, 7, 9}, []bool{true, false, true, true, false, false}, 6},
		// S(5) = 1 − 1/3: the others are censored, survival never halves.
		{"mostly censored: not reached", []float64{1, 1, 1, 5, 7, 8}, []bool{false, false, false, true, false, false}, nan},
		// The last time at risk is an event: S drops to 0 there.
		{"censored early, last one an event", []float64{1, 1, 1, 5}, []bool{false, false, false, true}, 5},
		// Tied event and censoring at 3: both at risk at 3. S(3) = 1 − 1/4 = 0.75, S(5) = 0.75 · (1 − 1/2) = 0.375.
		{"ties of an event and a censoring", []float64{3, 3, 5, 8}, []bool{true, false, true, false}, 5},
		{"no times", nil, nil, nan},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := KaplanMeierMedian(tc.times, tc.event)
			if got != tc.want && !(math.IsNaN(got) && math.IsNaN(tc.want)) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
