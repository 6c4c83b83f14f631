package sim

import (
	"math"
	"slices"
	"testing"
)

// TestSobolFirstPoints checks the first ten points of the unscrambled
// three-dimensional sequence against those Joe and Kuo's generator prints
// with new-joe-kuo-6.21201.
func TestSobolFirstPoints(t *testing.T) {
	want := [][]float64{
		{0, 0, 0},
		{0.5, 0.5, 0.5},
		{0.75, 0.25, 0.25},
		{0.25, 0.75, 0.75},
		{0.375, 0.375, 0.625},
		{0.875, 0.875, 0.125},
		{0.625, 0.125, 0.875},
		{0.125, 0.625, 0.375},
		{0.1875, 0.3125, 0.9375},
		{0.6875, 0.8125, 0.4375},
	}
	q := newSobolSeq(3, nil)
	got := make([]float64, 3)
	for n, w := range want {
		q.at(uint32(n), got)
		if !slices.Equal(got, w) {
			t.Errorf("point %d: got %v, want %v", n, got, w)
		}
	}
}

// TestSobolDirectionNumbers checks the table: each row's initial
// direction numbers are s odd numbers with m_i < 2^i, and the polynomial
// coefficients a fit in s−1 bits; the second dimension's direction
// numbers are the known 1, 3, 5, 15, 17, 51 (as integers m_i).
func TestSobolDirectionNumbers(t *testing.T) {
	for d, jk := range joeKuo {
		if int(jk.s) != len(jk.m) || jk.a >= 1<<(jk.s-1) && jk.s > 1 {
			t.Errorf("dimension %d: degree %d, a %d, %d initial numbers", d+2, jk.s, jk.a, len(jk.m))
		}
		for i, m := range jk.m {
			if m%2 == 0 || m >= 1<<(i+1) {
				t.Errorf("dimension %d: m_%d = %d is not odd and below 2^%d", d+2, i+1, m, i+1)
			}
		}
	}
	v := sobolDirections(1)
	for i, m := range []uint32{1, 3, 5, 15, 17, 51} {
		if got := v[i] >> (sobolBits - 1 - i); got != m {
			t.Errorf("dimension 2: m_%d = %d, want %d", i+1, got, m)
		}
	}
}

// stratified reports whether the first 2^m values of xs put one value in
// each interval [i/2^m, (i+1)/2^m).
func stratified(xs []float64, m int) bool {
	n := 1 << m
	seen := make([]bool, n)
	for _, x := range xs[:n] {
		i := int(x * float64(n))
		if i < 0 || i >= n || seen[i] {
			return false
		}
		seen[i] = true
	}
	return true
}

// TestSobolNets checks the properties that make the sequence
// low-discrepancy, unscrambled and scrambled (the scramble keeps them):
// in every one of the 32 dimensions, the first 2^m points put one point
// in each interval of length 2^−m (m = 1..10); and the first two
// dimensions form a (0, m, 2)-net: for m = 8, every box of
// 2^−a × 2^−(8−a) holds one of the first 256 points.
func TestSobolNets(t *testing.T) {
	const m = 10
	for _, scrambled := range []bool{false, true} {
		var q sobolSeq
		if scrambled {
			r := stream(42, purposeSobol, 1, 0)
			q = newSobolSeq(MaxSobolDims, &r)
		} else {
			q = newSobolSeq(MaxSobolDims, nil)
		}
		pts := make([][]float64, 1<<m)
		for n := range pts {
			pts[n] = make([]float64, MaxSobolDims)
			q.at(uint32(n), pts[n])
		}
		for d := range MaxSobolDims {
			col := make([]float64, len(pts))
			for n, p := range pts {
				col[n] = p[d]
			}
			for mm := 1; mm <= m; mm++ {
				if !stratified(col, mm) {
					t.Errorf("scrambled %v, dimension %d: the first %d points are not one to each interval of 1/%d", scrambled, d+1, 1<<mm, 1<<mm)
				}
			}
		}
		for a := 0; a <= 8; a++ {
			seen := map[[2]int]bool{}
			for _, p := range pts[:256] {
				seen[[2]int{int(p[0] * float64(int(1)<<a)), int(p[1] * float64(int(1)<<(8-a)))}] = true
			}
			if len(seen) != 256 {
				t.Errorf("scrambled %v: boxes of 2^-%d × 2^-%d hold the first 256 points in %d boxes, want 256", scrambled, a, 8-a, len(seen))
			}
		}
	}
}

// TestSobolScramble checks that a scramble is a function of its stream:
// the same stream gives the same points, another stream others, and the
// scrambled points' mean over 2^12 points is within 1e-3 of 1/2 in every
// dimension (a net's mean error is of the order of 1/n, not 1/√n).
func TestSobolScramble(t *testing.T) {
	r1, r2, r3 := stream(1, purposeSobol, 1, 0), stream(1, purposeSobol, 1, 0), stream(2, purposeSobol, 1, 0)
	a, b, c := newSobolSeq(8, &r1), newSobolSeq(8, &r2), newSobolSeq(8, &r3)
	pa, pb, pc := make([]float64, 8), make([]float64, 8), make([]float64, 8)
	sum := make([]float64, 8)
	const n = 1 << 12
	same, differ := true, false
	for i := range n {
		a.at(uint32(i), pa)
		b.at(uint32(i), pb)
		c.at(uint32(i), pc)
		same = same && slices.Equal(pa, pb)
		differ = differ || !slices.Equal(pa, pc)
		for d, x := range pa {
			sum[d] += x
		}
	}
	if !same || !differ {
		t.Errorf("same stream gave the same points: %v; another stream others: %v", same, differ)
	}
	for d, s := range sum {
		if math.Abs(s/n-0.5) > 1e-3 {
			t.Errorf("dimension %d: mean %v over %d points, want 1/2 within 1e-3", d+1, s/n, n)
		}
	}
}

// TestSobolPolynomials checks the table's polynomials: each x^s + a_1
// x^(s−1) + ... + a_(s−1) x + 1 is primitive over GF(2) (x has order
// 2^s − 1 modulo it), and for degrees 1 to 6 the table lists every
// primitive polynomial, in increasing order of a, as Joe and Kuo's does.
func TestSobolPolynomials(t *testing.T) {
	primitive := func(s, a uint32) bool {
		p := uint32(1)<<s | a<<1 | 1
		x, order := uint32(1), 0
		for {
			x <<= 1
			if x&(1<<s) != 0 {
				x ^= p
			}
			order++
			if x == 1 || order > 1<<s {
				break
			}
		}
		return order == 1<<s-1
	}
	byDegree := map[uint32][]uint32{}
	for d, jk := range joeKuo {
		if !primitive(jk.s, jk.a) {
			t.Errorf("dimension %d: degree %d, a %d is not primitive", d+2, jk.s, jk.a)
		}
		byDegree[jk.s] = append(byDegree[jk.s], jk.a)
	}
	for s := uint32(1); s <= 6; s++ {
		var all []uint32
		for a := uint32(0); a < 1<<(s-1); a++ {
			if primitive(s, a) {
				all = append(all, a)
			}
		}
		if !slices.Equal(byDegree[s], all) {
			t.Errorf("degree %d: the table has a = %v, the primitive polynomials are %v", s, byDegree[s], all)
		}
	}
}
