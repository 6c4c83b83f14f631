package runs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/triad-sim/triad/sim"
)

// A sharded run splits the runs of a scenario (sweep point × replicate)
// among N processes that need not share anything but a folder: shard I
// runs into OUT/shard-IIII-of-NNNN/, a folder like an unfinished output
// folder (manifest.json and runs/) whose manifest names the shard. Task k
// in cfg.Tasks() order belongs to shard k mod N, so shards get nearly equal
// shares of every sweep point; a run's seed depends only on the scenario
// and its task, so any N gives the same numbers. When every run of the
// shard is saved, its manifest is rewritten, atomically, with "complete":
// true and the SHA-256 of each run file: that is the completion marker. The
// run files stay, for Merge to assemble.

// ShardTasks returns the tasks of all, in order, that belong to sh: task k
// goes to shard k mod sh.Count. A nil sh takes every task.
func ShardTasks(all []sim.Task, sh *Shard) []sim.Task {
	if sh == nil {
		return all
	}
	var mine []sim.Task
	for k := sh.Index; k < len(all); k += sh.Count {
		mine = append(mine, all[k])
	}
	return mine
}

// shardDiffers says how the shard folder with manifest old differs from a
// shard that would be run as man, or returns "" if it is the same shard of
// the same scenario made by the same triad.
func shardDiffers(old, man Manifest) string {
	switch {
	case old.Shard == nil:
		return "a whole run, not a shard"
	case *old.Shard != *man.Shard:
		return fmt.Sprintf("shard %d of %d", old.Shard.Index, old.Shard.Count)
	case old.Version != man.Version:
		return fmt.Sprintf("a shard made by triad %s (this is %s)", old.Version, man.Version)
	case ScenarioHash(old.Scenario) != ScenarioHash(man.Scenario):
		return fmt.Sprintf("a shard of another scenario (%s, scenario hash %.12s)", old.Scenario.Name, ScenarioHash(old.Scenario))
	}
	return ""
}

// checkSiblings refuses to run the shard of man into out when a shard
// folder beside it splits the runs another way or ran another scenario
// (another seed, replicate count, version of triad, ...): merging them
// would mix two runs, and the error wraps ErrMixedShards. A shard
// resubmitted without a flag it was first run with is the usual cause.
func checkSiblings(out string, man Manifest) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return mark(err, ErrInaccessible)
	}
	mine := ShardDirName(man.Shard.Index, man.Shard.Count)
	for _, de := range entries {
		sh, ok := ParseShardDirName(de.Name())
		if !ok || !de.IsDir() || de.Name() == mine {
			continue
		}
		if sh.Count != man.Shard.Count {
			return &Advice{Err: fmt.Errorf("%s holds %s, a shard of a split into %d, and this is a split into %d: %w",
				out, de.Name(), sh.Count, man.Shard.Count, ErrMixedShards), Dir: out, Fix: FixSameSplit}
		}
		other, err := ReadManifest(filepath.Join(out, de.Name()))
		if errors.Is(err, fs.ErrNotExist) {
			continue // starting: it will check against this one
		}
		if err != nil {
			return err
		}
		if why := scenarioDiffers(other, man); why != "" {
			return &Advice{Err: fmt.Errorf("%s holds %s, which ran %s: %w", out, de.Name(), why, ErrMixedShards), Dir: out, Fix: FixSameScenario}
		}
	}
	return nil
}

// scenarioDiffers says how the run of manifest other differs from that of
// man in what makes the numbers, or returns "".
func scenarioDiffers(other, man Manifest) string {
	a, b := other.Scenario, man.Scenario
	switch {
	case other.Version != man.Version:
		return fmt.Sprintf("triad %s (this is %s)", other.Version, man.Version)
	case ScenarioHash(a) == ScenarioHash(b):
		return ""
	case a.Name != b.Name:
		return fmt.Sprintf("another scenario (%s, not %s)", a.Name, b.Name)
	case a.Replicates != b.Replicates:
		return fmt.Sprintf("%d replications (this shard: %d; were the replications set for one and not the other?)", a.Replicates, b.Replicates)
	case a.Seed != b.Seed:
		return fmt.Sprintf("seed %d (this shard: %d)", a.Seed, b.Seed)
	case a.Steps != b.Steps:
		return fmt.Sprintf("%d steps (this shard: %d)", a.Steps, b.Steps)
	}
	return fmt.Sprintf("the scenario with other parameters (scenario hash %.12s, this shard %.12s)", ScenarioHash(a), ScenarioHash(b))
}

// Timing is when a piece of work started and the clock that says when it
// ended: the command passes time.Now, since this package never reads the
// clock itself.
type Timing struct {
	Start time.Time
	Now   func() time.Time
}

// took is how long the work has taken, to the millisecond, in seconds.
func (t Timing) took() float64 { return t.Now().Sub(t.Start).Round(time.Millisecond).Seconds() }

// stamp records in m when the work started and how long it took.
func (t Timing) stamp(m *Manifest) {
	m.Start = t.Start.UTC().Truncate(time.Second)
	m.WallSeconds = t.took()
}

// finishShard marks the shard in dir, whose runs are all saved, as
// complete: its manifest man, rewritten atomically with the times of t,
// lists the SHA-256 of every run file. It returns that manifest.
func finishShard(dir string, man Manifest, t Timing) (Manifest, error) {
	man.Files = map[string]string{}
	for _, task := range ShardTasks(man.Scenario.Tasks(), man.Shard) {
		rel := path.Join(RunsDir, RunFileName(task))
		h, err := HashFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return man, fmt.Errorf("finish shard: %w", err)
		}
		man.Files[rel] = h
	}
	man.Complete = true
	t.stamp(&man)
	if err := SaveManifest(dir, man); err != nil {
		return man, fmt.Errorf("finish shard: %w", err)
	}
	return man, nil
}
