package runs

import (
	"encoding/gob"
	"fmt"
	"io"

	"github.com/triad-sim/triad/sim"
)

// Gob numbers the types it encodes in the order in which a process first
// meets them, and writes those numbers into every stream. So that a run
// file's or a record's bytes never depend on what the process encoded
// before it (the explorer writes runs of many scenarios in one process, a
// test binary writes fits, optimizations and sweeps one after the other,
// and a shard that resumes reads before it writes), every type that is
// written to a folder is met when the program starts: runs' own at its
// init, in the order WriteRun meets them, and the records of the packages
// above it at theirs (RegisterGob). Package initialization follows the
// imports, so the numbers are the same in every process of one binary.
func init() {
	RegisterGob(sim.RunResult{}, runFile{})
}

// RegisterGob makes gob number the types of vs (and every type they hold)
// now, in this order; the packages that write records call it from their
// init with the types they write (see WriteRecord).
func RegisterGob(vs ...any) {
	for _, v := range vs {
		if err := gob.NewEncoder(io.Discard).Encode(v); err != nil {
			panic(fmt.Sprintf("runs: gob cannot encode %T: %v", v, err))
		}
	}
}
