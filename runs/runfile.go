package runs

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
	"io"

	"github.com/triad-sim/triad/sim"
)

// runFileVersion changes whenever the encoding of a run changes, so that a
// resume or merge never mixes files of two formats. Version 2 added the
// header and the checksum.
const runFileVersion = 2

// errOtherScenario marks the error of a run file of another scenario than
// the one its reader expects: the file, or the manifest that says which
// scenario the folder ran, was replaced.
var errOtherScenario = errors.New("run of another scenario")

// runMagic starts every run file: a reader tells a run file from anything
// else before it decodes a byte.
var runMagic = []byte("triad run\n")

// A run file is runMagic, then a gob-encoded runFile, then the SHA-256 of
// everything before it. The run itself is gob-encoded on its own into
// Payload, so that the checksum covers it and fields added to
// sim.RunResult need no change here.
type runFile struct {
	Version int
	Header  RunHeader
	Payload []byte
}

// RunHeader says which run a run file holds: a reader checks it against
// the run it expects before it trusts the payload.
type RunHeader struct {
	// Scenario is the hash of the resolved scenario that produced the run.
	Scenario string
	// Point, Replicate and Seed are the run's sweep point, replicate and
	// own seed (sim.RunSeed).
	Point, Replicate int
	Seed             uint64
}

// WriteRun writes one finished run of the scenario whose hash is scenario,
// in the binary form that resumed runs and merged shards are assembled
// from. Floats keep every bit (NaN included), so outputs assembled from run
// files are identical to those of a run kept in memory.
func WriteRun(w io.Writer, scenario string, run *sim.RunResult) error {
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(run); err != nil {
		return fmt.Errorf("write run %d/%d: %w", run.Point, run.Replicate, err)
	}
	var b bytes.Buffer
	b.Write(runMagic)
	h := RunHeader{Scenario: scenario, Point: run.Point, Replicate: run.Replicate, Seed: run.Seed}
	if err := gob.NewEncoder(&b).Encode(runFile{runFileVersion, h, payload.Bytes()}); err != nil {
		return fmt.Errorf("write run %d/%d: %w", run.Point, run.Replicate, err)
	}
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write run %d/%d: %w", run.Point, run.Replicate, err)
	}
	return nil
}

// ReadRun reads a run written by WriteRun and checks that it is the run
// want describes. The error wraps ErrRunCorrupt or ErrRunForeign.
func ReadRun(r io.Reader, want RunHeader) (*sim.RunResult, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read run: %w", err)
	}
	if !bytes.HasPrefix(b, runMagic) {
		return nil, fmt.Errorf("not a run file of this triad (format %d): %w", runFileVersion, ErrRunCorrupt)
	}
	if len(b) < len(runMagic)+sha256.Size {
		return nil, fmt.Errorf("truncated: %w", ErrRunCorrupt)
	}
	body, sum := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, fmt.Errorf("its checksum does not match (damaged or truncated): %w", ErrRunCorrupt)
	}
	var f runFile
	if err := gob.NewDecoder(bytes.NewReader(body[len(runMagic):])).Decode(&f); err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrRunCorrupt)
	}
	if f.Version != runFileVersion {
		return nil, fmt.Errorf("file format %d, this triad reads %d: %w", f.Version, runFileVersion, ErrRunCorrupt)
	}
	h := f.Header
	switch {
	case h.Scenario != want.Scenario:
		return nil, mark(fmt.Errorf("it holds a run of another scenario (scenario hash %.12s, want %.12s): %w", h.Scenario, want.Scenario, ErrRunForeign), errOtherScenario)
	case h != want:
		return nil, fmt.Errorf("it holds run %d/%d with seed %d, want run %d/%d with seed %d: %w", h.Point, h.Replicate, h.Seed, want.Point, want.Replicate, want.Seed, ErrRunForeign)
	}
	var run sim.RunResult
	if err := gob.NewDecoder(bytes.NewReader(f.Payload)).Decode(&run); err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrRunCorrupt)
	}
	if run.Point != h.Point || run.Replicate != h.Replicate || run.Seed != h.Seed {
		return nil, fmt.Errorf("its run does not match its header: %w", ErrRunCorrupt)
	}
	return &run, nil
}
