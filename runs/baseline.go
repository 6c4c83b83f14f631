package runs

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/triad-sim/triad/output"
)

// Baseline is the baseline of the runs of a finished output folder, with
// its file as output.WriteBaseline encodes it.
type Baseline struct {
	output.Baseline
	// JSON is the baseline's file, as check reads it.
	JSON []byte
	// Runs is how many runs it summarizes.
	Runs int
}

// Write writes the baseline's file to w.
func (b Baseline) Write(w io.Writer) error {
	_, err := w.Write(b.JSON)
	return err
}

// BaselineError is a baseline that is not to be written: one larger than
// output.MaxBaselineSize (Size bytes), or one that a check would refuse
// (Refusal, the error of output.ReadBaseline), which the command words.
type BaselineError struct {
	Dir     string
	Size    int
	Refusal error
}

func (e *BaselineError) Error() string {
	if e.Refusal != nil {
		return fmt.Sprintf("the runs of %s make no valid baseline: %v", e.Dir, e.Refusal)
	}
	return fmt.Sprintf("the baseline of %s would take %s, more than %s, the cap on a baseline: check fewer sweep points", e.Dir, Size(int64(e.Size)), Size(output.MaxBaselineSize))
}

func (e *BaselineError) Unwrap() error { return e.Refusal }

// MakeBaseline makes the baseline of the runs of the finished output
// folder dir, as triad version: every metric of every sweep point (see
// output.BaselineOf). A baseline that check would refuse is not made: the
// error is then a *BaselineError. The caller holds dir (see Hold), so
// that a folder being written is not read half-done.
func MakeBaseline(ctx context.Context, dir, version string) (Baseline, error) {
	set, err := LoadRunSet(ctx, dir)
	if err != nil {
		return Baseline{}, err
	}
	b := output.BaselineOf(set, version)
	var buf bytes.Buffer
	if err := output.WriteBaseline(&buf, b); err != nil {
		return Baseline{}, err
	}
	if buf.Len() > output.MaxBaselineSize {
		return Baseline{}, &BaselineError{Dir: dir, Size: buf.Len()}
	}
	if _, err := output.ReadBaseline(bytes.NewReader(buf.Bytes())); err != nil {
		return Baseline{}, &BaselineError{Dir: dir, Refusal: err}
	}
	return Baseline{Baseline: b, JSON: buf.Bytes(), Runs: len(set.Runs)}, nil
}

// ReadBaseline reads the baseline file path (see output.ReadBaseline), a
// regular file of at most output.MaxBaselineSize bytes.
func ReadBaseline(path string) (output.Baseline, error) {
	src, err := ReadFile(path, "a baseline", output.MaxBaselineSize)
	if err != nil {
		return output.Baseline{}, fmt.Errorf("baseline: %w", err)
	}
	b, err := output.ReadBaseline(bytes.NewReader(src))
	if err != nil {
		return output.Baseline{}, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}
