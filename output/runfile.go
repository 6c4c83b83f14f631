package output

import (
	"encoding/gob"
	"fmt"
	"io"

	"triad/sim"
)

// runFileVersion changes whenever the encoding of a run changes, so that a
// resume or merge never mixes files of two formats.
const runFileVersion = 1

// runFile is what one run's file holds: a version tag and the run.
type runFile struct {
	Version int
	Run     sim.RunResult
}

// WriteRun writes one finished run in the binary form that resumed runs and
// merged shards are assembled from. Floats keep every bit (NaN included),
// so outputs assembled from run files are identical to those of a run kept
// in memory.
func WriteRun(w io.Writer, run *sim.RunResult) error {
	if err := gob.NewEncoder(w).Encode(runFile{runFileVersion, *run}); err != nil {
		return fmt.Errorf("write run %d/%d: %w", run.Point, run.Replicate, err)
	}
	return nil
}

// ReadRun reads a run written by WriteRun.
func ReadRun(r io.Reader) (*sim.RunResult, error) {
	var f runFile
	if err := gob.NewDecoder(r).Decode(&f); err != nil {
		return nil, fmt.Errorf("read run: %w", err)
	}
	if f.Version != runFileVersion {
		return nil, fmt.Errorf("read run: file format %d, this triad reads %d", f.Version, runFileVersion)
	}
	return &f.Run, nil
}
