//go:build race

package sim

// raceEnabled says the tests run with the race detector, whose
// instrumentation and bookkeeping allocate where the program does not.
const raceEnabled = true
