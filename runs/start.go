package runs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Start makes dir ready for the new run of man and writes its first
// manifest: it makes the folder, takes its lock for h and empties it as
// Prepare does (home is never replaced; force replaces a folder of ours).
// It returns the lock, which the caller releases when the run is done.
func Start(dir string, man Manifest, force bool, home string, h Holder) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, mark(fmt.Errorf("output folder: %w", err), ErrInaccessible)
	}
	lk, err := LockFolder(dir, h)
	if err != nil {
		return nil, err
	}
	if err := Prepare(dir, home, force); err != nil {
		lk.Unlock()
		return nil, err
	}
	if err := SaveManifest(dir, man); err != nil {
		lk.Unlock()
		return nil, fmt.Errorf("start run: %w", err)
	}
	return lk, nil
}

// ShardState is what OpenShard found in the folder of a shard.
type ShardState int

const (
	// ShardNew means no run of the shard was there (or force was set):
	// the folder is ready and holds the shard's first manifest.
	ShardNew ShardState = iota
	// ShardStopped means a stopped run of the same shard is there, to be
	// finished with its own manifest.
	ShardStopped
	// ShardDone means the same shard is there, complete: nothing to do.
	ShardDone
)

// OpenShard opens the folder of man's shard under out for h: it makes the
// folder, takes its lock and says what is there, returning the folder, the
// manifest to run with (man for a new shard, the stopped shard's own) and
// the lock, which the caller releases. It refuses, before making anything
// and again under the lock, a shard whose siblings split the runs another
// way or ran another scenario (ErrMixedShards), and, unless force starts
// the shard again, a folder that holds another shard or a whole run
// (ErrExists).
func OpenShard(out string, man Manifest, force bool, home string, h Holder) (dir string, m Manifest, st ShardState, lk *Lock, err error) {
	dir = filepath.Join(out, ShardDirName(man.Shard.Index, man.Shard.Count))
	// Checked before the shard's folder is made, so that a refused shard
	// leaves nothing behind, and again under the lock.
	if err := CheckSiblings(out, man); err != nil {
		return dir, man, ShardNew, nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return dir, man, ShardNew, nil, mark(fmt.Errorf("output folder: %w", err), ErrInaccessible)
	}
	if lk, err = LockFolder(dir, h); err != nil {
		return dir, man, ShardNew, nil, err
	}
	fail := func(err error) (string, Manifest, ShardState, *Lock, error) {
		lk.Unlock()
		return dir, man, ShardNew, nil, err
	}
	if err := CheckSiblings(out, man); err != nil {
		return fail(err)
	}
	old, err := ReadManifest(dir)
	switch {
	case force || errors.Is(err, fs.ErrNotExist):
		// A folder without a manifest was stopped before its first run.
	case err != nil:
		return fail(fmt.Errorf("%w; add --force to start the shard again", err))
	default:
		if why := ShardDiffers(old, man); why != "" {
			return fail(mark(fmt.Errorf("%s holds %s; add --force to replace it, or choose another --out", dir, why), ErrExists))
		}
		if old.Complete {
			return dir, old, ShardDone, lk, nil
		}
		return dir, old, ShardStopped, lk, nil
	}
	if err := Prepare(dir, home, true); err != nil {
		return fail(err)
	}
	if err := SaveManifest(dir, man); err != nil {
		return fail(fmt.Errorf("start shard: %w", err))
	}
	return dir, man, ShardNew, lk, nil
}
