package runs

import "errors"

// Errors of the folder protocol, for errors.Is. Each is wrapped with the
// detail (which folder, which file, what to do); the command maps them to
// its exit codes.
var (
	// ErrNotOurFolder means a folder holds files that triad did not write,
	// or is no triad output folder at all: it is never replaced.
	ErrNotOurFolder = errors.New("not a triad output folder")
	// ErrExists means an output folder of triad is already there and was
	// not to be replaced.
	ErrExists = errors.New("output folder exists")
	// ErrNotOurFile means a file is not one that triad wrote, or not a
	// regular file at all: it is never replaced.
	ErrNotOurFile = errors.New("not a file triad wrote")
	// ErrFileExists means a file that triad wrote is already there and was
	// not to be replaced.
	ErrFileExists = errors.New("output file exists")
	// ErrInaccessible means a folder, manifest or run list cannot be read,
	// or an output folder cannot be made.
	ErrInaccessible = errors.New("cannot be read or made")
	// ErrIncomplete means a folder holds a stopped run where a finished
	// one is needed.
	ErrIncomplete = errors.New("the run is not complete")
	// ErrLocked means another process holds the lock of a folder.
	ErrLocked = errors.New("in use by another triad")
	// ErrNoShards means a folder holds no shard folders.
	ErrNoShards = errors.New("no shard folders")
	// ErrMixedShards means the shards in a folder would not make one run.
	ErrMixedShards = errors.New("the shards would mix two runs")
	// ErrShardsNotDone means some shard of a sharded run is missing,
	// stopped or still running, or lacks run files it should hold.
	ErrShardsNotDone = errors.New("shards are not done")
	// ErrRunCorrupt means a run file is not a complete run file as triad
	// wrote it: damaged, truncated or of another format.
	ErrRunCorrupt = errors.New("damaged run file")
	// ErrRunForeign means a run file is intact but holds another run: of
	// another scenario, or another point or replicate.
	ErrRunForeign = errors.New("run file of another run")
	// ErrBadFile means a file that triad reads is not a regular file (a
	// folder, a named pipe, a device such as /dev/zero), is larger than
	// the cap of its kind, or holds what triad cannot have written there:
	// it is refused, unread where its kind or size already tells.
	ErrBadFile = errors.New("a file triad does not read")
	// ErrComparison means a folder holds a comparison (triad compare)
	// where the runs of one scenario are needed.
	ErrComparison = errors.New("a comparison, not runs")
)

// marked is an error that also wraps a sentinel without changing its text.
type marked struct{ err, kind error }

func (m *marked) Error() string   { return m.err.Error() }
func (m *marked) Unwrap() []error { return []error{m.err, m.kind} }

// mark returns err, unchanged in its text, so that errors.Is(err, kind)
// holds too. A nil err stays nil.
func mark(err, kind error) error {
	if err == nil || errors.Is(err, kind) {
		return err
	}
	return &marked{err, kind}
}
