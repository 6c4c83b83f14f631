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
	// ErrSweep means a folder holds a sweep where the runs of a single
	// scenario are needed.
	ErrSweep = errors.New("a sweep, not single runs")
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

// Fix is what the user can do about an error of a folder, as data: the
// command says it in its own words, with its own flags and commands.
type Fix int

const (
	// FixReplace: replace the folder (or file) triad wrote, or choose
	// another.
	FixReplace Fix = iota + 1
	// FixResumeOrReplace: finish the stopped run in Dir, replace the
	// folder or choose another.
	FixResumeOrReplace
	// FixOtherFolder: choose another folder; this one is never replaced.
	FixOtherFolder
	// FixRestartShard: start the shard in Dir again.
	FixRestartShard
	// FixReplaceShard: replace the folder of the shard, or choose another
	// folder for the sharded run.
	FixReplaceShard
	// FixSameSplit: run every shard with the same split into shards, or
	// choose another folder.
	FixSameSplit
	// FixSameScenario: run the shard with the same scenario and settings
	// as its siblings, or choose another folder.
	FixSameScenario
	// FixStartShards: start the shards of a sharded run into Dir.
	FixStartShards
	// FixOtherFile: choose another file; this one is never replaced.
	FixOtherFile
	// FixNeverReplaced: choose another file; this one is never replaced,
	// whatever the user asks.
	FixNeverReplaced
	// FixReplaceFile: replace the file triad wrote, or choose another.
	FixReplaceFile
	// FixResume: finish the stopped run in Dir.
	FixResume
	// FixRerun: run again the run whose file the folder Dir lacks.
	FixRerun
	// FixRemoveRun: remove the damaged or foreign run file and run it
	// again in the folder Dir, or run the scenario into a new folder.
	FixRemoveRun
	// FixElseRemoveRun: FixRemoveRun, when the manifest is not the cause.
	FixElseRemoveRun
	// FixRemoveAndResume: remove the changed output file and finish the
	// folder Dir, which writes it again.
	FixRemoveAndResume
	// FixRemake: make again the run files the folder Dir lacks.
	FixRemake
	// FixRewrite: write again the results the folder Dir lacks.
	FixRewrite
	// FixResumeFitOrReplace: continue the unfinished fit in Dir, start it
	// again or choose another folder.
	FixResumeFitOrReplace
	// FixMerge: merge the shards of the sharded run in Dir.
	FixMerge
	// FixResumeFit: continue the unfinished fit in Dir.
	FixResumeFit
)

// Advice is an error with what the user can do about it: Err says what
// is wrong, Fix (with the folder Dir it acts on) what to do. Its text is
// Err's alone: the command adds the advice in its own words.
type Advice struct {
	Err error
	Dir string
	Fix Fix
}

func (a *Advice) Error() string { return a.Err.Error() }

// Unwrap returns Err.
func (a *Advice) Unwrap() error { return a.Err }
