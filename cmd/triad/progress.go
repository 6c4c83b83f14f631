package main

import (
	"time"

	"github.com/triad-sim/triad/output"
)

// newProgress reports on stderr how total runs go, done of them finished
// already (see output.Progress): a bar that redraws itself when stderr is
// a terminal.
func newProgress(e *env, total, done int, quiet bool) *output.Progress {
	return output.NewProgress(e.stderr, e.stderrTTY, time.Now, total, done, quiet)
}
