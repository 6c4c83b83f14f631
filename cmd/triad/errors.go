package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/triad-sim/triad/runs"
)

// Exit codes.
const (
	exitOK        = 0
	exitFailure   = 1 // the work failed, or a check found a failure
	exitUsage     = 2 // bad usage or bad input
	exitInterrupt = 130
)

// usageError is a mistake on the command line: exit 2 with the command's
// short usage.
type usageError struct {
	cmd string
	err error
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// inputError is bad input, such as an invalid scenario: exit 2.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// interruptedError is a command stopped by a signal: exit 130 with its
// message, which says what was kept and how to go on, and nothing of the
// context.Canceled it wraps.
type interruptedError struct{ msg string }

func (e *interruptedError) Error() string { return e.msg }
func (e *interruptedError) Unwrap() error { return context.Canceled }

// failedError means the command ran and found a failure (a regression, a
// missing shard): exit 1 after printing its message.
type failedError struct{ err error }

func (e *failedError) Error() string { return e.err.Error() }
func (e *failedError) Unwrap() error { return e.err }

// inputErrors are the output folder protocol's errors that mean bad input
// (exit 2): a folder or file that is not ours or not to be replaced, in
// use, stopped, damaged or mixed. Its other errors,
// runs.ErrShardsNotDone among them, are failures (exit 1).
var inputErrors = []error{
	runs.ErrNotOurFolder, runs.ErrExists, runs.ErrNotOurFile, runs.ErrFileExists, runs.ErrInaccessible,
	runs.ErrIncomplete, runs.ErrLocked, runs.ErrNoShards, runs.ErrMixedShards, runs.ErrRunCorrupt, runs.ErrRunForeign, runs.ErrBadFile,
	runs.ErrComparison, runs.ErrOptimization, runs.ErrSweep,
}

// isInputError reports whether err is one of inputErrors.
func isInputError(err error) bool {
	for _, target := range inputErrors {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

func usagef(cmd, format string, args ...any) error {
	return &usageError{cmd, fmt.Errorf(format, args...)}
}
