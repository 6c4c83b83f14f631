package sim

import "math/bits"

// purpose names what a random stream is for. Each random decision of the
// model has its own purpose, so adding a new one never shifts the draws of
// the existing ones. Values are part of the output format: never renumber.
type purpose uint64

const (
	purposeCapability purpose = 1 + iota // firm capabilities, at build
	purposeContacts                      // fixed contacts, at build or rewiring
	purposeInitial                       // initial adopters
	purposeDiscover                      // lab breakthroughs and quality
	purposeTransfer                      // partner searches
	purposeAdopt                         // adoption trials (and well-mixed contacts)
	purposeSweep                         // latin-hypercube sweep design
	purposeMorris                        // Morris trajectories design
	purposeSobol                         // Saltelli (Sobol indices) design
	purposePosterior                     // a replicate's draw from Config.Posterior
)

// rng is one keyed random stream: xoshiro256++ seeded from a hash of
// (run seed, purpose, step, block). Streams with different keys are
// independent, so the numbers never depend on which goroutine drew them.
//
// It is a concrete type rather than a *rand.Rand because the adoption loop
// draws once per non-adopting firm and innovation: an interface call per
// draw and ChaCha8's per-stream set-up cost were measurable there (see
// docs/PERFORMANCE.md). It satisfies rand.Source for everything else.
type rng struct{ s0, s1, s2, s3 uint64 }

// mix is the splitmix64 finalizer: a bijective hash of 64 bits.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// stream returns the generator for one (run seed, purpose, step, block).
func stream(seed uint64, p purpose, step, block int) rng {
	h := mix(seed)
	h = mix(h ^ uint64(p)<<48 ^ uint64(uint32(step)))
	h = mix(h ^ uint64(block))
	r := rng{mix(h), mix(h + 1), mix(h + 2), mix(h + 3)}
	if r.s0|r.s1|r.s2|r.s3 == 0 {
		r.s0 = 1
	}
	return r
}

// Uint64 returns the next 64 random bits.
func (r *rng) Uint64() uint64 {
	res := bits.RotateLeft64(r.s0+r.s3, 23) + r.s0
	t := r.s1 << 17
	r.s2 ^= r.s0
	r.s3 ^= r.s1
	r.s1 ^= r.s2
	r.s0 ^= r.s3
	r.s2 ^= t
	r.s3 = bits.RotateLeft64(r.s3, 45)
	return res
}

// float returns a uniform number in [0, 1).
func (r *rng) float() float64 { return float64(float64(r.Uint64()>>11) * 0x1p-53) }

// open returns a uniform number in (0, 1).
func (r *rng) open() float64 { return (float64(r.Uint64()>>12) + 0.5) * 0x1p-52 }

// intnRetry finishes intn(n) for a first product (hi, lo) with lo < n:
// it draws again while lo is below the threshold of rejection and returns
// the result and the stream, passed by value (see drawContacts).
func intnRetry(r rng, n, hi, lo uint64) (uint64, rng) {
	thresh := -n % n
	for lo < thresh {
		hi, lo = bits.Mul64(r.Uint64(), n)
	}
	return hi, r
}

// intn returns a uniform integer in [0, n), n > 0, by Lemire's method.
func (r *rng) intn(n int) int {
	hi, lo := bits.Mul64(r.Uint64(), uint64(n))
	if lo < uint64(n) {
		thresh := -uint64(n) % uint64(n)
		for lo < thresh {
			hi, lo = bits.Mul64(r.Uint64(), uint64(n))
		}
	}
	return int(hi)
}
