package portable

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"
)

func TestSumAddsInSliceOrder(t *testing.T) {
	// One accumulator: 1e16 + 1 rounds back to 1e16, so the sum is 1.
	// Two or four accumulators (gonum's assembly on amd64) give 2.
	x := []float64{1e16, 1, -1e16, 1}
	if got := Sum(x); got != 1 {
		t.Errorf("Sum(%v) = %v, want 1", x, got)
	}
}

func TestMeanVariance(t *testing.T) {
	cases := []struct {
		name       string
		x, w       []float64
		mean, vari float64
	}{
		{"four values", []float64{1, 2, 3, 4}, nil, 2.5, 5.0 / 3},
		{"frequency weights count repeated values", []float64{1, 2, 4}, []float64{2, 1, 1}, 2, 2},
		{"one value has no variance", []float64{7}, nil, 7, math.NaN()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, v := MeanVariance(c.x, c.w)
			if m != c.mean || !(v == c.vari || math.IsNaN(v) && math.IsNaN(c.vari)) {
				t.Errorf("got mean %v variance %v, want %v and %v", m, v, c.mean, c.vari)
			}
			if _, sd := MeanStdDev(c.x, c.w); !(sd == math.Sqrt(v) || math.IsNaN(sd) && math.IsNaN(v)) {
				t.Errorf("sd %v, want √%v", sd, v)
			}
		})
	}
}

// TestStatisticsAgreeWithGonum holds the statistics to gonum's (which add
// in another order on amd64) within a few rounding errors.
func TestStatisticsAgreeWithGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 2; n < 200; n += 7 {
		x, w := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i] = 100 + 3*r.NormFloat64()
			w[i] = r.Float64() * 3
		}
		for _, weights := range [][]float64{nil, w} {
			m, v := MeanVariance(x, weights)
			gm, gv := stat.MeanVariance(x, weights)
			if math.Abs(m-gm) > 1e-13*math.Abs(gm) || math.Abs(v-gv) > 1e-10*gv {
				t.Errorf("n=%d: mean %v variance %v, gonum %v and %v", n, m, v, gm, gv)
			}
		}
		slices.Sort(x)
		for _, p := range []float64{0, 0.025, 0.5, 0.975, 1} {
			// Whole weights make every sum exact, so the two must agree.
			ones := make([]float64, n)
			for i := range ones {
				ones[i] = float64(1 + i%3)
			}
			for _, weights := range [][]float64{nil, ones} {
				if got, want := Quantile(p, x, weights), stat.Quantile(p, stat.Empirical, x, weights); got != want {
					t.Errorf("n=%d p=%v: quantile %v, gonum %v", n, p, got, want)
				}
			}
		}
	}
}

func TestQuantileRejectsUnsortedValues(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for unsorted values")
		}
	}()
	Quantile(0.5, []float64{2, 1}, nil)
}

// ulps returns how many float64 steps lie between a and b.
func ulps(a, b float64) uint64 {
	ia, ib := int64(math.Float64bits(a)), int64(math.Float64bits(b))
	if ia < 0 {
		ia = math.MinInt64 - ia
	}
	if ib < 0 {
		ib = math.MinInt64 - ib
	}
	if ia > ib {
		return uint64(ia - ib)
	}
	return uint64(ib - ia)
}

// elementary lists the elementary functions with their math twins, the
// inputs to try them on and how many ulps apart the two may be: each is
// within an ulp of the true value (Lgamma, which calls Log, within two),
// and so is math's. pure says whether math runs the same Go code
// on amd64, where the compiler never fuses, so that there the two must
// agree to the bit.
var elementary = []struct {
	name string
	f    func(float64) float64
	ref  func(float64) float64
	gen  func(r *rand.Rand) float64
	ulps uint64
	pure bool
}{
	{"Log", Log, math.Log, func(r *rand.Rand) float64 { return spread(r, -200, 200) }, 2, false},
	{"Log1p", Log1p, math.Log1p, func(r *rand.Rand) float64 { return max(-1, spread(r, -60, 2)*float64(1-2*r.IntN(2))) }, 2, true},
	{"Exp", Exp, math.Exp, func(r *rand.Rand) float64 { return float64(1400*r.Float64()) - 700 }, 2, false},
	{"Expm1", Expm1, math.Expm1, func(r *rand.Rand) float64 { return spread(r, -60, 10) * float64(1-2*r.IntN(2)) }, 2, true},
	{"Lgamma", Lgamma, func(x float64) float64 { v, _ := math.Lgamma(x); return v }, func(r *rand.Rand) float64 { return spread(r, -75, 62) }, 4, false},
}

// spread returns a positive number between 2^lo and 2^hi, spread evenly
// over the powers of two, made by exact operations only (so that the
// arguments are the same on every platform).
func spread(r *rand.Rand, lo, hi int) float64 {
	return math.Ldexp(1+r.Float64(), lo+r.IntN(hi-lo))
}

func TestElementaryFunctionsMatchMath(t *testing.T) {
	exact := runtime.GOARCH == "amd64"
	for _, e := range elementary {
		t.Run(e.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(3, 4))
			for range 200000 {
				x := e.gen(r)
				got, want := e.f(x), e.ref(x)
				if d := ulps(got, want); d > e.ulps || d > 0 && e.pure && exact {
					t.Fatalf("%s(%v) = %v, math gives %v (%d ulp apart)", e.name, x, got, want, d)
				}
			}
		})
	}
	special := []struct {
		name      string
		got, want float64
	}{
		{"Log(0)", Log(0), math.Inf(-1)},
		{"Log(-1)", Log(-1), math.NaN()},
		{"Log(+Inf)", Log(math.Inf(1)), math.Inf(1)},
		{"Log1p(-1)", Log1p(-1), math.Inf(-1)},
		{"Log1p(-2)", Log1p(-2), math.NaN()},
		{"Exp(-Inf)", Exp(math.Inf(-1)), 0},
		{"Exp(800)", Exp(800), math.Inf(1)},
		{"Expm1(-Inf)", Expm1(math.Inf(-1)), -1},
		{"Lgamma(1)", Lgamma(1), 0},
		{"Lgamma(0)", Lgamma(0), math.Inf(1)},
		{"Lgamma(-1)", Lgamma(-1), math.NaN()},
	}
	for _, s := range special {
		if !(s.got == s.want || math.IsNaN(s.got) && math.IsNaN(s.want)) {
			t.Errorf("%s = %v, want %v", s.name, s.got, s.want)
		}
	}
}

// TestDistributions checks against values computed with mpmath at 50
// digits (betainc for Student's t, erfinv for the normal) from the float64
// arguments as written.
func TestDistributions(t *testing.T) {
	cases := []struct {
		name      string
		got, want float64
	}{
		{"t quantile 0.975, 1 df", StudentsTQuantile(0.975, 1), 12.706204736174693314},
		{"t quantile 0.975, 2 df", StudentsTQuantile(0.975, 2), 4.3026527297494617894},
		{"t quantile 0.975, 5 df", StudentsTQuantile(0.975, 5), 2.5705818356363147828},
		{"t quantile 0.975, 19 df", StudentsTQuantile(0.975, 19), 2.0930240544083093201},
		{"t quantile 0.975, 30.5 df", StudentsTQuantile(0.975, 30.5), 2.040869445186320219},
		{"t quantile 0.975, 1000 df", StudentsTQuantile(0.975, 1000), 1.9623390808264081039},
		{"t quantile 0.025, 4.7 df", StudentsTQuantile(0.025, 4.7), -2.6207260753531703545},
		{"t quantile 0.9999, 3 df", StudentsTQuantile(0.9999, 3), 22.203742273205002038},
		{"t quantile 0.9, 0.5 df", StudentsTQuantile(0.9, 0.5), 10.270324410234510724},
		{"t cdf -2.5, 7 df", StudentsTCDF(-2.5, 7), 0.020496109292876448445},
		{"t cdf 1.3, 0.5 df", StudentsTCDF(1.3, 0.5), 0.72969267327743977417},
		{"t cdf -30, 1000 df", StudentsTCDF(-30, 1000), 7.6873437220217411056e-142},
		{"t cdf 0.01, 12 df", StudentsTCDF(0.01, 12), 0.5039071925057482122},
		{"t cdf 40, 3.3 df", StudentsTCDF(40, 3.3), 0.99999247055635910032},
		{"normal quantile 0.975", NormalQuantile(0.975), 1.9599639845400538556},
		{"normal quantile 1e-10", NormalQuantile(1e-10), -6.3613409024040561991},
		{"normal quantile 0.3", NormalQuantile(0.3), -0.52440051270804081597},
	}
	for _, c := range cases {
		if math.Abs(c.got-c.want) > 1e-13*math.Abs(c.want) {
			t.Errorf("%s = %.17g, want %.17g", c.name, c.got, c.want)
		}
	}
	edges := []struct {
		name      string
		got, want float64
	}{
		{"t quantile 0", StudentsTQuantile(0, 3), math.Inf(-1)},
		{"t quantile 1", StudentsTQuantile(1, 3), math.Inf(1)},
		{"t quantile 0.5", StudentsTQuantile(0.5, 3), 0},
		{"t quantile of 0 df", StudentsTQuantile(0.9, 0), math.NaN()},
		{"t cdf of +Inf", StudentsTCDF(math.Inf(1), 3), 1},
		{"t cdf of 0", StudentsTCDF(0, 3), 0.5},
		{"normal quantile 1.5", NormalQuantile(1.5), math.NaN()},
	}
	for _, e := range edges {
		if !(e.got == e.want || math.IsNaN(e.got) && math.IsNaN(e.want)) {
			t.Errorf("%s = %v, want %v", e.name, e.got, e.want)
		}
	}
}

func TestStudentsTQuantileInvertsTheCDF(t *testing.T) {
	for _, nu := range []float64{0.7, 1, 3, 9.5, 40, 600} {
		for _, p := range []float64{0.001, 0.025, 0.2, 0.6, 0.975, 0.999} {
			q := StudentsTQuantile(p, nu)
			if got := StudentsTCDF(q, nu); math.Abs(got-p) > 1e-13*min(p, 1-p) {
				t.Errorf("nu=%v: CDF(quantile(%v)) = %v", nu, p, got)
			}
		}
	}
}

// bitsHash pins the bits of every function over a fixed set of
// arguments. Its value was computed on linux/amd64; the same on any other
// platform is what the package promises (CI runs it on arm64 too).
const bitsHash = "7e26312ca43ca0f648ef87d46d152e67f5b772f0dddb866f67da3b19dcf49b39"

func TestSameBitsOnEveryPlatform(t *testing.T) {
	h := sha256.New()
	put := func(v float64) {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		h.Write(b[:])
	}
	for _, e := range elementary {
		r := rand.New(rand.NewPCG(5, 6))
		for range 20000 {
			put(e.f(e.gen(r)))
		}
	}
	r := rand.New(rand.NewPCG(7, 8))
	for range 300 {
		nu := spread(r, -2, 12)
		p := r.Float64()
		put(StudentsTQuantile(p, nu))
		put(StudentsTCDF(float64(40*r.Float64())-20, nu))
		put(NormalQuantile(p))
	}
	x, w := make([]float64, 1000), make([]float64, 1000)
	for i := range x {
		x[i], w[i] = float64(5*r.Float64())-1, r.Float64()
	}
	put(Sum(x))
	for _, weights := range [][]float64{nil, w} {
		m, v := MeanVariance(x, weights)
		put(m)
		put(v)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != bitsHash {
		t.Errorf("hash of the results %s, want %s (as on linux/amd64)", got, bitsHash)
	}
}
