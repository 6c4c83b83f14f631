package sim

import (
	"math"
	"slices"
)

// KaplanMeierMedian returns the Kaplan–Meier estimate of the median time to
// an event from times[i], each an event time when event[i] is true and a
// censoring time (the event had not happened by then) otherwise. The
// median is the smallest event time at which the estimated survival
// S(t) = Π over event times t_j ≤ t of (1 − d_j / n_j) falls to 0.5 or
// below, where d_j events happen at t_j among the n_j still at risk (a
// time censored at t_j counts as at risk at t_j). It is NaN when survival
// never falls that far: fewer than half the times are known to be events.
//
// Unlike the mean over the times that were events, it does not forget the
// innovations that had not yet got there when the run ended, so a short run
// or a late product does not bias it downwards.
func KaplanMeierMedian(times []float64, event []bool) float64 {
	if len(times) != len(event) {
		panic("sim: KaplanMeierMedian needs one event flag per time")
	}
	idx := make([]int, len(times))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case times[a] < times[b]:
			return -1
		case times[a] > times[b]:
			return 1
		}
		return 0
	})
	atRisk := float64(len(times))
	surv := 1.0
	for k := 0; k < len(idx); {
		t := times[idx[k]]
		var d, n float64
		for ; k < len(idx) && times[idx[k]] == t; k++ {
			n++
			if event[idx[k]] {
				d++
			}
		}
		if d > 0 {
			surv *= 1 - d/atRisk
			if surv <= 0.5 {
				return t
			}
		}
		atRisk -= n
	}
	return math.NaN()
}
