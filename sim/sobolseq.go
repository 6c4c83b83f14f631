package sim

import "math/bits"

// joeKuo holds, for dimensions 2 to 32 of the Sobol' sequence, the degree
// s of the primitive polynomial, the number a whose bits are its inner
// coefficients, and the initial direction numbers m_1..m_s: the first rows
// of new-joe-kuo-6.21201, the direction numbers of S. Joe and F. Y. Kuo,
// "Constructing Sobol sequences with better two-dimensional projections",
// SIAM J. Sci. Comput. 30 (2008) 2635–2654. Dimension 1 is the van der
// Corput sequence in base 2 (every m_i = 1).
var joeKuo = [...]struct {
	s, a uint32
	m    []uint32
}{
	{1, 0, []uint32{1}},
	{2, 1, []uint32{1, 3}},
	{3, 1, []uint32{1, 3, 1}},
	{3, 2, []uint32{1, 1, 1}},
	{4, 1, []uint32{1, 1, 3, 3}},
	{4, 4, []uint32{1, 3, 5, 13}},
	{5, 2, []uint32{1, 1, 5, 5, 17}},
	{5, 4, []uint32{1, 1, 5, 5, 5}},
	{5, 7, []uint32{1, 1, 7, 11, 19}},
	{5, 11, []uint32{1, 1, 5, 1, 1}},
	{5, 13, []uint32{1, 1, 1, 3, 11}},
	{5, 14, []uint32{1, 3, 5, 5, 31}},
	{6, 1, []uint32{1, 3, 3, 9, 7, 49}},
	{6, 13, []uint32{1, 1, 1, 15, 21, 21}},
	{6, 16, []uint32{1, 3, 1, 13, 27, 49}},
	{6, 19, []uint32{1, 1, 1, 15, 7, 5}},
	{6, 22, []uint32{1, 3, 1, 15, 13, 25}},
	{6, 25, []uint32{1, 1, 5, 5, 19, 61}},
	{7, 1, []uint32{1, 3, 7, 11, 23, 15, 103}},
	{7, 4, []uint32{1, 3, 7, 13, 13, 15, 69}},
	{7, 7, []uint32{1, 1, 3, 13, 7, 35, 63}},
	{7, 8, []uint32{1, 3, 5, 9, 1, 25, 53}},
	{7, 14, []uint32{1, 3, 1, 13, 9, 35, 107}},
	{7, 19, []uint32{1, 3, 1, 5, 27, 61, 31}},
	{7, 21, []uint32{1, 1, 5, 11, 19, 41, 61}},
	{7, 28, []uint32{1, 3, 5, 3, 3, 13, 69}},
	{7, 31, []uint32{1, 1, 7, 13, 1, 19, 1}},
	{7, 32, []uint32{1, 3, 7, 5, 13, 19, 59}},
	{7, 37, []uint32{1, 1, 3, 9, 25, 29, 41}},
	{7, 41, []uint32{1, 3, 5, 13, 23, 1, 55}},
	{7, 42, []uint32{1, 3, 7, 3, 13, 59, 17}},
}

// MaxSobolDims is the number of dimensions of the Sobol' sequence sim
// carries direction numbers for. A Saltelli design takes two of them a
// parameter (its A and B columns), so it is quasi-random up to
// MaxSobolDims/2 parameters; with more, its base matrices are
// pseudo-random.
const MaxSobolDims = len(joeKuo) + 1

// sobolBits is the precision of a point of the sequence: 2³² points.
const sobolBits = 32

// sobolDirections returns the direction numbers v_1..v_32 of dimension d
// (0-based), each a binary fraction in the 32 bits of a uint32, by Joe and
// Kuo's recurrence
// v_i = v_{i−s} ⊕ (v_{i−s} >> s) ⊕ a_1·v_{i−1} ⊕ ... ⊕ a_{s−1}·v_{i−s+1}.
func sobolDirections(d int) [sobolBits]uint32 {
	var v [sobolBits]uint32
	if d == 0 {
		for i := range v {
			v[i] = 1 << (sobolBits - 1 - i)
		}
		return v
	}
	jk := joeKuo[d-1]
	s := int(jk.s)
	for i := 0; i < s; i++ {
		v[i] = jk.m[i] << (sobolBits - 1 - i)
	}
	for i := s; i < sobolBits; i++ {
		v[i] = v[i-s] ^ v[i-s]>>uint(s)
		for k := 1; k < s; k++ {
			v[i] ^= (jk.a >> uint(s-1-k) & 1) * v[i-k]
		}
	}
	return v
}

// sobolSeq is a Sobol' sequence of some dimensions, scrambled or not.
type sobolSeq struct {
	v     [][sobolBits]uint32
	shift []uint32
}

// newSobolSeq returns the first dims dimensions of the Sobol' sequence.
// With scramble, each dimension is scrambled with draws from it by the
// linear matrix scrambling of Matoušek (1998) and a random digital shift,
// as SciPy's qmc.Sobol scrambles: the direction numbers are multiplied by a random
// lower-triangular binary matrix with a unit diagonal, and the points
// shifted by a random digital shift (an exclusive or). The scrambled
// sequence keeps the net structure that makes it low-discrepancy, its
// points are uniform on [0, 1), and different scrambles give independent
// estimates, so the spread of an estimate over seeds is its error.
func newSobolSeq(dims int, scramble *rng) sobolSeq {
	if dims > MaxSobolDims {
		panic("sim: a Sobol' sequence of more dimensions than it has direction numbers for")
	}
	q := sobolSeq{v: make([][sobolBits]uint32, dims), shift: make([]uint32, dims)}
	for d := range dims {
		q.v[d] = sobolDirections(d)
		if scramble == nil {
			continue
		}
		// Row i of the matrix gives bit i of a scrambled number (from the
		// most significant): that bit itself plus random higher bits.
		var rows [sobolBits]uint32
		for i := range rows {
			self := uint32(1) << (sobolBits - 1 - i)
			higher := ^(self<<1 - 1)
			if i == 0 {
				higher = 0
			}
			rows[i] = self | uint32(scramble.Uint64()>>32)&higher
		}
		for j, v := range q.v[d] {
			var out uint32
			for i, row := range rows {
				out |= uint32(bits.OnesCount32(row&v)&1) << (sobolBits - 1 - i)
			}
			q.v[d][j] = out
		}
		q.shift[d] = uint32(scramble.Uint64() >> 32)
	}
	return q
}

// at returns point n of the sequence in Gray-code order (the order of
// Joe and Kuo's generator: 0, 1/2, 3/4, 1/4, ... in the first dimension),
// each coordinate in [0, 1). A point depends on n alone, so any share of
// the points can be computed on its own.
func (q sobolSeq) at(n uint32, into []float64) {
	g := n ^ n>>1
	for d := range q.v {
		x := q.shift[d]
		for b := g; b != 0; b &= b - 1 {
			x ^= q.v[d][bits.TrailingZeros32(b)]
		}
		into[d] = float64(x) * 0x1p-32
	}
}
