package fit

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/triad-sim/triad/runs"
)

// ErrFinished says that the fit a shard would join is finished already:
// the shard has nothing to do.
var ErrFinished = errors.New("the fit is finished")

// OtherFitError is the error of a folder Dir that holds a fit a shard may
// not join: another fit, Finished or started by Command ("fit" and its
// arguments), or a state that cannot be read (Err). It is the input's
// fault; the command says what to do instead in its own words.
type OtherFitError struct {
	Dir      string
	Finished bool
	Command  []string
	Err      error
}

func (e *OtherFitError) Error() string {
	switch {
	case e.Err != nil:
		return e.Err.Error()
	case e.Finished:
		return e.Dir + " holds another, finished fit"
	}
	return fmt.Sprintf("%s holds another fit (triad %s): a shard joins only the fit of its own command", e.Dir, strings.Join(e.Command, " "))
}

func (e *OtherFitError) Unwrap() error { return e.Err }

// maxRecordBytes caps the fit.json read back.
const maxRecordBytes = 16 << 20

// join returns the state of the unfinished fit in dir when same reports
// that its command line ("fit" and its arguments) starts the fit the
// caller would start; nil if dir holds no fit yet; ErrFinished if it
// holds that fit finished; and an *OtherFitError if it holds another.
// schema is the schema version of the caller's state files.
func join(dir string, schema int, same func(command []string) bool) (*State, error) {
	if !runs.IsFile(filepath.Join(dir, runs.FitStateName)) {
		if !runs.IsFile(filepath.Join(dir, runs.FitName)) {
			return nil, nil
		}
		var done struct {
			Command []string `json:"command"` // "triad", "fit", ...
		}
		if b, err := runs.ReadFile(filepath.Join(dir, runs.FitName), "a fit record", maxRecordBytes); err == nil && json.Unmarshal(b, &done) == nil &&
			len(done.Command) > 1 && same(done.Command[1:]) {
			return nil, ErrFinished
		}
		return nil, &OtherFitError{Dir: dir, Finished: true}
	}
	st, err := ReadState(dir, schema)
	if err != nil {
		return nil, &OtherFitError{Dir: dir, Err: err}
	}
	if !same(st.Command) {
		return nil, &OtherFitError{Dir: dir, Command: st.Command}
	}
	return st, nil
}

// prepare makes the folder dir ready for a new fit (runs.PrepareFit, with
// home and force), or, for a shard, returns the state of the fit of the
// same command (see join) that another shard started there, waiting a few
// seconds for its state file when the folder is being made.
func prepare(dir, home string, force, shard bool, schema int, same func(command []string) bool) (*State, error) {
	if shard {
		if st, err := join(dir, schema, same); err != nil || st != nil {
			return st, err
		}
	}
	err := runs.PrepareFit(dir, home, force)
	if err == nil || !shard {
		return nil, err
	}
	// The state file of the shard that makes the folder is on its way
	// (the folder holds it as a temporary file first).
	state := filepath.Join(dir, runs.FitStateName)
	for wait := 0; wait < 100 && !runs.IsFile(state); wait++ {
		time.Sleep(50 * time.Millisecond)
	}
	if !runs.IsFile(state) {
		return nil, err
	}
	return join(dir, schema, same)
}
