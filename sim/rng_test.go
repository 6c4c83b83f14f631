package sim

import (
	"math"
	"testing"
)

// TestThresholdDecidesAsFloat checks that comparing a draw's top 53 bits
// with threshold(x) decides exactly as float() < x, which the trials and
// the drawing of contacts rely on to stay draw-for-draw the same: at the
// edges (0, the smallest numbers, 2⁻⁵³ and its neighbours, numbers just
// below 1, 1 and above, NaN), on both sides of each threshold, and for a
// million draws against a spread of chances.
func TestThresholdDecidesAsFloat(t *testing.T) {
	asFloat := func(v uint64) float64 { return float64(v) * 0x1p-53 } // as rng.float does
	xs := []float64{0, math.SmallestNonzeroFloat64, 1e-300, 0x1p-54, 0x1p-53,
		math.Nextafter(0x1p-53, 0), math.Nextafter(0x1p-53, 1), 3 * 0x1p-53,
		0.001, 0.0025, 0.1, 1.0 / 3, 0.5, math.Nextafter(0.5, 0), math.Nextafter(0.5, 1),
		0.999, math.Nextafter(1, 0), 1, math.Nextafter(1, 2), 1.5, 1e300, math.Inf(1),
		math.Copysign(0, -1), -1e-300, -1, math.Inf(-1), math.NaN()}
	for _, x := range xs {
		th := threshold(x)
		if th > 1<<53 {
			t.Errorf("threshold(%g) = %d, above 2^53", x, th)
		}
		vs := []uint64{0, 1, 2, 1<<52 - 1, 1 << 52, 1<<53 - 2, 1<<53 - 1}
		for d := uint64(0); d < 3; d++ {
			if th >= d && th-d < 1<<53 {
				vs = append(vs, th-d)
			}
			if th+d < 1<<53 {
				vs = append(vs, th+d)
			}
		}
		for _, v := range vs {
			if got, want := v < th, asFloat(v) < x; got != want {
				t.Errorf("x = %g (%#x), v = %d: v < threshold(x) is %v, float < x is %v", x, math.Float64bits(x), v, got, want)
			}
		}
	}
	r := stream(1, purposeAdopt, 0, 0)
	for n := range 1_000_000 {
		x := float64(n%1000) / 997 // 0 to just above 1
		a, b := r, r
		if got, want := a.Uint64()>>11 < threshold(x), b.float() < x; got != want {
			t.Fatalf("draw %d, x = %g: threshold says %v, float says %v", n, x, got, want)
		}
		r.Uint64()
	}
}

// TestPickBitsIsPick checks that pickBits on the thresholds of a cumulative
// table returns pick's index for the same draw, for short tables (scanned)
// and long ones (searched), tables with empty entries included.
func TestPickBitsIsPick(t *testing.T) {
	r := stream(2, purposeContacts, 0, 0)
	for _, n := range []int{1, 2, 4, 16, 17, 40} {
		w := make([]float64, n)
		for i := range w {
			if i%3 != 1 { // every third entry empty
				w[i] = r.float()
			}
		}
		cum := cumulate(w)
		thr := make([]uint64, n)
		for i, x := range cum {
			thr[i] = threshold(x)
		}
		for range 100_000 {
			a, b := r, r
			if got, want := pickBits(thr, a.Uint64()>>11), pick(cum, b.float()); got != want {
				t.Fatalf("%d entries: pickBits %d, pick %d", n, got, want)
			}
			r.Uint64()
		}
		for i := range thr { // at each threshold and just below it
			for _, v := range []uint64{thr[i], thr[i] - min(thr[i], 1)} {
				if v >= 1<<53 {
					continue
				}
				if got, want := pickBits(thr, v), pick(cum, float64(v)*0x1p-53); got != want {
					t.Errorf("%d entries, v = %d: pickBits %d, pick %d", n, v, got, want)
				}
			}
		}
	}
}
