package runs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// Folder is an output folder that this process holds: the folder of a
// run, of one shard of a sharded run, or of the merged shards. It is the
// folder protocol in one type:
//
//   - Create starts the folder of a new run, CreateShard that of one shard
//     under the folder of a sharded run (or finds the shard there, State),
//     Open takes a folder that holds a run already, to resume it, and Hold
//     one to merge, report on or read whole. Each takes the folder's lock
//     (a second process is refused with ErrLocked, naming the holder), and
//     Close releases it; At takes no lock, for Status. A folder is
//     replaced only when it is one that triad wrote (see Owned) and force
//     says so; the user's home folder, the current folder and the root
//     never are, and what triad did not write there is kept (see Kept).
//   - Run runs what the folder lacks, saving each run as a run file as it
//     finishes, assembles the tables, charts and report as the runs are
//     saved, and marks the manifest complete with the SHA-256 of every
//     file; the folder of a shard is only marked complete, with its run
//     files' hashes, for Merge. A run that stops keeps what it saved: the
//     error is a *StoppedError, and Resume then Run finish it.
//   - Resume checks every run file of a folder that Open or CreateShard
//     took and readies it for Run: it says what the folder lacks (nothing,
//     for a finished folder whose files are all there).
//   - Status says how the folder stands: the runs of a run, or each shard
//     of a sharded run (a Condition: the one classification of shards,
//     which Merge checks too) and whether they were merged.
//   - Merge assembles the finished shards into the folder of one run,
//     byte for byte the folder a run on one machine would have written;
//     Ctrl-C (ctx) stops it with the shards as they were.
//   - Report writes report.html again from the folder's files.
//
// The errors wrap the sentinels of errors.go; what the user can do about
// one is data (*Advice with its Fix, *StoppedError, *AssembleError,
// *VersionError, *UnfinishedError), for the command to word with its own
// flags. A run, in short:
//
//	f, err := runs.Create(dir, runs.NewManifest(program, cfg, src), force, owner)
//	defer f.Close()
//	a, err := f.Run(ctx, runs.RunOptions{Workers: n, Progress: p, Timing: t})
type Folder struct {
	// Dir is the folder.
	Dir string
	// Man is its manifest: the one its run started with, or the one Open
	// read; Run and Merge update it.
	Man Manifest
	// State says what the folder of a shard held when CreateShard opened
	// it; ShardNew for any other folder.
	State ShardState
	owner Owner
	lock  *Lock
}

// Owner is who works in folders: this process as the lock files name it,
// and the user's home folder, which is never replaced. The command fills
// it in, since this package reads neither the host name, the clock nor
// the environment.
type Owner struct {
	Holder Holder
	Home   string
}

// NewManifest starts the manifest of a run of cfg, read from the
// scenario file src, made by p.
func NewManifest(p Program, cfg sim.Config, src []byte) Manifest {
	sum := sha256.Sum256(src)
	return Manifest{
		Program:            p,
		Scenario:           cfg,
		ScenarioFileSHA256: hex.EncodeToString(sum[:]),
		ConfigSHA256:       output.ConfigHash(cfg),
		Seed:               cfg.Seed,
		Replicates:         cfg.Replicates,
	}
}

// Create makes dir ready for the new run of man and writes its first
// manifest: it makes the folder, takes its lock and empties it as Prepare
// does (force replaces a folder of triad's; the home folder never is).
func Create(dir string, man Manifest, force bool, o Owner) (*Folder, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, mark(fmt.Errorf("output folder: %w", err), ErrInaccessible)
	}
	lk, err := LockFolder(dir, o.Holder)
	if err != nil {
		return nil, err
	}
	if err := Prepare(dir, o.Home, force); err != nil {
		lk.Unlock()
		return nil, err
	}
	if err := SaveManifest(dir, man); err != nil {
		lk.Unlock()
		return nil, fmt.Errorf("start run: %w", err)
	}
	return &Folder{Dir: dir, Man: man, owner: o, lock: lk}, nil
}

// Open takes the lock of dir, the folder of a run (stopped or finished)
// or of a shard, and reads its manifest. A folder without a manifest is
// not ours (ErrNotOurFolder); dir must be a folder.
func Open(dir string, o Owner) (*Folder, error) {
	lk, err := LockFolder(dir, o.Holder)
	if err != nil {
		return nil, err
	}
	man, err := ReadManifest(dir)
	if errors.Is(err, fs.ErrNotExist) {
		err = fmt.Errorf("%s holds no %s: it is %w", dir, ManifestName, ErrNotOurFolder)
	}
	if err != nil {
		lk.Unlock()
		return nil, err
	}
	return &Folder{Dir: dir, Man: man, owner: o, lock: lk}, nil
}

// Hold takes the lock of dir, a folder that this process reads whole or
// writes to in a way of its own (a baseline, a merge, a report), for o.
// See LockFolder.
func Hold(dir string, o Owner) (*Folder, error) {
	lk, err := LockFolder(dir, o.Holder)
	if err != nil {
		return nil, err
	}
	return &Folder{Dir: dir, owner: o, lock: lk}, nil
}

// Close releases the folder's lock. A nil Folder is closed.
func (f *Folder) Close() {
	if f != nil {
		f.lock.Unlock()
	}
}

// ShardState is what CreateShard found in the folder of a shard.
type ShardState int

const (
	// ShardNew means no run of the shard was there (or force was set):
	// the folder is ready and holds the shard's first manifest.
	ShardNew ShardState = iota
	// ShardStopped means a stopped run of the same shard is there, to be
	// finished with its own manifest.
	ShardStopped
	// ShardDone means the same shard is there, complete: Resume says
	// whether it lacks anything.
	ShardDone
)

// CreateShard opens the folder of man's shard under out: it makes the
// folder, takes its lock and says what is there (State), with the
// manifest to run with (man for a new shard, the stopped or finished
// shard's own). It refuses, before making anything and again under the
// lock, a shard whose siblings split the runs another way or ran another
// scenario (ErrMixedShards), and, unless force starts the shard again, a
// folder that holds another shard or a whole run (ErrExists).
func CreateShard(out string, man Manifest, force bool, o Owner) (*Folder, error) {
	dir := filepath.Join(out, ShardDirName(man.Shard.Index, man.Shard.Count))
	// Checked before the shard's folder is made, so that a refused shard
	// leaves nothing behind, and again under the lock.
	if err := checkSiblings(out, man); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, mark(fmt.Errorf("output folder: %w", err), ErrInaccessible)
	}
	lk, err := LockFolder(dir, o.Holder)
	if err != nil {
		return nil, err
	}
	f := &Folder{Dir: dir, Man: man, owner: o, lock: lk}
	fail := func(err error) (*Folder, error) {
		lk.Unlock()
		return nil, err
	}
	if err := checkSiblings(out, man); err != nil {
		return fail(err)
	}
	old, err := ReadManifest(dir)
	switch {
	case force || errors.Is(err, fs.ErrNotExist):
		// A folder without a manifest was stopped before its first run.
	case err != nil:
		return fail(&Advice{Err: err, Dir: dir, Fix: FixRestartShard})
	default:
		if why := shardDiffers(old, man); why != "" {
			return fail(&Advice{Err: mark(fmt.Errorf("%s holds %s", dir, why), ErrExists), Dir: dir, Fix: FixReplaceShard})
		}
		f.Man, f.State = old, ShardStopped
		if old.Complete {
			f.State = ShardDone
		}
		return f, nil
	}
	if err := Prepare(dir, o.Home, true); err != nil {
		return fail(err)
	}
	if err := SaveManifest(dir, man); err != nil {
		return fail(fmt.Errorf("start shard: %w", err))
	}
	return f, nil
}

// RunOptions say how Run goes: with Workers goroutines, telling Progress
// how the runs go, timed by Timing for the manifest. None of them
// changes a number.
type RunOptions struct {
	Workers  int
	Progress Progress
	Timing   Timing
}

// Run runs, with o.Workers goroutines, the runs of the folder's manifest
// (only its shard's, for the folder of a shard) that the folder does not
// hold yet, saving each as it finishes; a run's numbers depend only on
// the scenario and its task, so the order does not matter. The folder of
// a run is assembled as its runs are saved (see runAndFinish) and marked
// complete; that of a shard is marked complete with its run files'
// hashes, for Merge. It returns what was assembled, nil for a shard. When
// not every run could be saved, the error is a *StoppedError; when the
// assembly failed, an *AssembleError.
func (f *Folder) Run(ctx context.Context, o RunOptions) (*Assembled, error) {
	f.Man.Workers = o.Workers
	if f.Man.Shard != nil {
		if err := removeTemps(f.Dir); err != nil {
			return nil, err
		}
		if err := runMissing(ctx, f.Dir, f.Man, o.Workers, o.Progress); err != nil {
			return nil, err
		}
		man, err := finishShard(f.Dir, f.Man, o.Timing)
		if err != nil {
			return nil, err
		}
		f.Man = man
		return nil, nil
	}
	a, man, err := runAndFinish(ctx, f.Dir, f.Man, o.Workers, o.Progress, o.Timing)
	if err != nil {
		return nil, err
	}
	f.Man = man
	return a, nil
}

// Lack is what a folder that Open or CreateShard took lacks to be
// complete.
type Lack struct {
	// Stopped is set for a folder whose run stopped before its end.
	Stopped bool
	// Runs is the number of run files missing; Outputs are the files a
	// finished folder's manifest lists that are not there (tables,
	// charts, the report), in the order of their names.
	Runs    int
	Outputs []string
}

// Nothing reports whether the folder lacks nothing: Run would have
// nothing to do.
func (l Lack) Nothing() bool { return !l.Stopped && l.Runs == 0 && len(l.Outputs) == 0 }

// Resume readies the folder for Run to finish it, and says what it
// lacks. It reads every run file first (see checkRuns), so that a damaged
// one is named before any work. A finished folder that lacks run files
// or outputs (removed, say, to make them again) is marked stopped until
// Run has made them. A folder made by another version of triad than
// version, whose numbers may differ, is refused with a *VersionError when
// it lacks anything.
func (f *Folder) Resume(ctx context.Context, version string) (Lack, error) {
	c, err := checkRuns(ctx, f.Dir, f.Man)
	if err != nil {
		return Lack{}, err
	}
	lack := Lack{Stopped: !f.Man.Complete, Runs: c.Lacking}
	if f.Man.Complete {
		lack.Outputs = missingOutputs(f.Dir, f.Man)
		if lack.Nothing() {
			return lack, nil
		}
	}
	if f.Man.Version != version {
		return lack, &VersionError{Dir: f.Dir, Made: f.Man.Version, This: version, Finished: f.Man.Complete}
	}
	if f.Man.Complete {
		// Until the outputs are whole again the folder is a stopped run.
		f.Man.Complete = false
		if err := SaveManifest(f.Dir, f.Man); err != nil {
			return lack, err
		}
	}
	return lack, nil
}

// VersionError means a folder that lacks files was made by another
// version of triad, whose numbers may differ: it is run again into a new
// folder rather than finished.
type VersionError struct {
	Dir, Made, This string
	// Finished is set for a folder that was finished, and then lost
	// files.
	Finished bool
}

func (e *VersionError) Error() string {
	if e.Finished {
		return fmt.Sprintf("%s lacks files and was made by triad %s; this is triad %s, whose numbers may differ", e.Dir, e.Made, e.This)
	}
	return fmt.Sprintf("%s was started by triad %s; this is triad %s, whose numbers may differ", e.Dir, e.Made, e.This)
}

// missingOutputs lists the files that the finished folder dir's manifest
// man lists and that are not there, in the order of their names.
func missingOutputs(dir string, man Manifest) []string {
	var gone []string
	for _, rel := range slices.Sorted(maps.Keys(man.Files)) {
		if !IsFile(filepath.Join(dir, filepath.FromSlash(rel))) {
			gone = append(gone, rel)
		}
	}
	return gone
}

// Report writes report.html of the finished folder again from its files
// (see rebuildReport); version is the running triad's.
func (f *Folder) Report(ctx context.Context, version string) error {
	return rebuildReport(ctx, f.Dir, version)
}
