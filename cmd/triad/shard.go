package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// A sharded run splits the runs of a scenario (sweep point × replicate)
// among N processes that need not share anything but a folder:
//
//	triad run SCENARIO --shard I/N --out DIR
//
// runs the tasks of shard I into DIR/shard-IIII-of-NNNN/, a folder like an
// unfinished output folder (manifest.json and runs/) whose manifest names the
// shard. Task k in cfg.Tasks() order belongs to shard k mod N, so shards get
// nearly equal shares of every sweep point; a run's seed depends only on the
// scenario and its task, so any N gives the same numbers. When every run of
// the shard is saved, its manifest is rewritten, atomically, with
// "complete": true and the SHA-256 of each run file: that is the completion
// marker. The run files stay, for `triad merge DIR` to assemble.

// shardEnv lists, in the order they are consulted, the variables through
// which batch engines tell an array task its index: Slurm job arrays,
// Kubernetes Indexed Jobs, AWS Batch array jobs and Google Cloud Batch.
// Only Slurm's depends on how the job was submitted (--array=0-(N-1)); the
// others count from 0.
var shardEnv = []string{"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "BATCH_TASK_INDEX"}

// shardDirName names the folder of shard i of n.
func shardDirName(i, n int) string { return fmt.Sprintf("shard-%04d-of-%04d", i, n) }

// parseShardDirName is the inverse of shardDirName.
func parseShardDirName(name string) (output.Shard, bool) {
	var sh output.Shard
	k, err := fmt.Sscanf(name, "shard-%d-of-%d", &sh.Index, &sh.Count)
	ok := err == nil && k == 2 && shardDirName(sh.Index, sh.Count) == name && sh.Index >= 0 && sh.Index < sh.Count
	return sh, ok
}

// shardTasks returns the tasks of all, in order, that belong to sh: task k
// goes to shard k mod sh.Count. A nil sh takes every task.
func shardTasks(all []sim.Task, sh *output.Shard) []sim.Task {
	if sh == nil {
		return all
	}
	var mine []sim.Task
	for k := sh.Index; k < len(all); k += sh.Count {
		mine = append(mine, all[k])
	}
	return mine
}

// parseShard reads --shard I/N or auto/N. For auto it takes I from the first
// variable of shardEnv that getenv returns non-empty and returns that
// variable's name. Bad syntax is a usage error, a missing or out-of-range
// index an input error.
func parseShard(spec string, getenv func(string) string) (sh output.Shard, from string, err error) {
	is, ns, ok := strings.Cut(spec, "/")
	if !ok {
		return sh, "", usagef("run", "--shard %s: want I/N (0 <= I < N) or auto/N", spec)
	}
	n, err := strconv.Atoi(ns)
	if err != nil || n < 1 {
		return sh, "", usagef("run", "--shard %s: the number of shards must be a whole number of at least 1, got %q", spec, ns)
	}
	sh.Count = n
	if is != "auto" {
		i, err := strconv.Atoi(is)
		if err != nil || i < 0 || i >= n {
			return sh, "", usagef("run", "--shard %s: the shard must be auto or a whole number from 0 to %d, got %q", spec, n-1, is)
		}
		sh.Index = i
		return sh, "", nil
	}
	for _, name := range shardEnv {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			continue
		}
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 || i >= n {
			hint := ""
			if name == "SLURM_ARRAY_TASK_ID" {
				hint = fmt.Sprintf(": submit the array with --array=0-%d", n-1)
			}
			return sh, "", &inputError{fmt.Errorf("--shard %s: %s=%s is not a shard from 0 to %d%s", spec, name, v, n-1, hint)}
		}
		sh.Index = i
		return sh, name, nil
	}
	return sh, "", &inputError{fmt.Errorf("--shard %s: no batch engine gave a shard index: none of %s is set", spec, strings.Join(shardEnv, ", "))}
}

// runShard runs one shard of cfg into its folder under o.out: a new shard
// starts, a stopped one resumes and a complete one is left alone.
func runShard(e *env, o runOptions, src []byte, cfg sim.Config, args []string) error {
	sh, from, err := parseShard(o.shard, os.Getenv)
	if err != nil {
		return err
	}
	dir := filepath.Join(o.out, shardDirName(sh.Index, sh.Count))
	man := newManifest(e, cfg, src)
	man.NoPlots = o.noPlots
	man.Shard = &sh
	if from != "" {
		fmt.Fprintf(e.stderr, "triad: shard %d of %d (%s=%d)\n", sh.Index, sh.Count, from, sh.Index)
	}
	// Checked before the shard's folder is made, so that a refused shard
	// leaves nothing behind, and again under the lock.
	if err := checkSiblings(o.out, man); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return &inputError{fmt.Errorf("output folder: %w", err)}
	}
	lk, err := lockFolder(dir, lockCommand("run", args))
	if err != nil {
		return err
	}
	defer lk.unlock()
	if err := checkSiblings(o.out, man); err != nil {
		return err
	}
	old, err := readManifest(dir)
	switch {
	case o.force || errors.Is(err, fs.ErrNotExist):
		// A folder without a manifest was stopped before its first run.
	case err != nil:
		return &inputError{fmt.Errorf("%w; add --force to start the shard again", err)}
	default:
		if why := shardDiffers(old, man); why != "" {
			return &inputError{fmt.Errorf("%s holds %s; add --force to replace it, or choose another --out", dir, why)}
		}
		if old.Complete {
			if !o.quiet {
				fmt.Fprintf(e.stdout, "%s: shard %d of %d is already complete in %s; nothing to do\n", cfg.Name, sh.Index, sh.Count, dir)
			}
			return nil
		}
		fmt.Fprintf(e.stderr, "triad: resuming the stopped shard in %s\n", dir)
		return execute(e, dir, cfg.Name, old, o)
	}
	if err := prepareOut(dir, true); err != nil {
		return err
	}
	if err := writeManifest(dir, man); err != nil {
		return fmt.Errorf("start shard: %w", err)
	}
	return execute(e, dir, cfg.Name, man, o)
}

// shardDiffers says how the shard folder with manifest old differs from a
// shard that would be run as man, or returns "" if it is the same shard of
// the same scenario made by this triad.
func shardDiffers(old, man output.Manifest) string {
	switch {
	case old.Shard == nil:
		return "a whole run, not a shard"
	case *old.Shard != *man.Shard:
		return fmt.Sprintf("shard %d of %d", old.Shard.Index, old.Shard.Count)
	case old.Version != man.Version:
		return fmt.Sprintf("a shard made by triad %s (this is %s)", old.Version, man.Version)
	case scenarioHash(old.Scenario) != scenarioHash(man.Scenario):
		return fmt.Sprintf("a shard of another scenario (%s, scenario hash %.12s)", old.Scenario.Name, scenarioHash(old.Scenario))
	}
	return ""
}

// errMixedShards means the shards in a folder would not make one run.
var errMixedShards = errors.New("the shards would mix two runs")

// checkSiblings refuses to run the shard of man into out when a shard
// folder beside it splits the runs another way or ran another scenario
// (another seed, replicate count, version of triad, ...): merging them
// would mix two runs. A shard resubmitted without a flag it was first run
// with is the usual cause.
func checkSiblings(out string, man output.Manifest) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &inputError{err}
	}
	mine := shardDirName(man.Shard.Index, man.Shard.Count)
	for _, de := range entries {
		sh, ok := parseShardDirName(de.Name())
		if !ok || !de.IsDir() || de.Name() == mine {
			continue
		}
		if sh.Count != man.Shard.Count {
			return &inputError{fmt.Errorf("%s holds %s, a shard of a split into %d, and this is a split into %d: %w; run every shard with the same --shard I/N, or choose another --out",
				out, de.Name(), sh.Count, man.Shard.Count, errMixedShards)}
		}
		other, err := readManifest(filepath.Join(out, de.Name()))
		if errors.Is(err, fs.ErrNotExist) {
			continue // starting: it will check against this one
		}
		if err != nil {
			return &inputError{err}
		}
		if why := scenarioDiffers(other, man); why != "" {
			return &inputError{fmt.Errorf("%s holds %s, which ran %s: %w; run this shard with the same scenario and flags as the others, or choose another --out",
				out, de.Name(), why, errMixedShards)}
		}
	}
	return nil
}

// scenarioDiffers says how the run of manifest other differs from that of
// man in what makes the numbers, or returns "".
func scenarioDiffers(other, man output.Manifest) string {
	a, b := other.Scenario, man.Scenario
	switch {
	case other.Version != man.Version:
		return fmt.Sprintf("triad %s (this is %s)", other.Version, man.Version)
	case scenarioHash(a) == scenarioHash(b):
		return ""
	case a.Name != b.Name:
		return fmt.Sprintf("another scenario (%s, not %s)", a.Name, b.Name)
	case a.Replicates != b.Replicates:
		return fmt.Sprintf("%d replicates (this shard: %d; was --replications given to one and not the other?)", a.Replicates, b.Replicates)
	case a.Seed != b.Seed:
		return fmt.Sprintf("seed %d (this shard: %d)", a.Seed, b.Seed)
	case a.Steps != b.Steps:
		return fmt.Sprintf("%d steps (this shard: %d)", a.Steps, b.Steps)
	}
	return fmt.Sprintf("the scenario with other parameters (scenario hash %.12s, this shard %.12s)", scenarioHash(a), scenarioHash(b))
}

// scenarioHash is the SHA-256 (hex) of a resolved scenario's JSON, as the
// manifest holds it: two shards ran the same scenario when their hashes are
// equal, whatever file or flags produced it.
func scenarioHash(cfg sim.Config) string {
	b, err := json.Marshal(cfg)
	if err != nil {
		panic("triad: encode scenario: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// finishShard marks a shard whose runs are all saved as complete: its
// manifest, rewritten atomically, lists the SHA-256 of every run file.
func finishShard(e *env, dir string, man output.Manifest, o runOptions, start time.Time) error {
	cfg := man.Scenario
	mine := shardTasks(cfg.Tasks(), man.Shard)
	man.Files = map[string]string{}
	for _, t := range mine {
		rel := path.Join(runsDir, runFileName(t))
		h, err := output.HashFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return fmt.Errorf("finish shard: %w", err)
		}
		man.Files[rel] = h
	}
	man.Complete = true
	man.Workers = o.workers
	man.Start = start.UTC().Truncate(time.Second)
	man.WallSeconds = time.Since(start).Round(time.Millisecond).Seconds()
	if err := writeManifest(dir, man); err != nil {
		return fmt.Errorf("finish shard: %w", err)
	}
	if o.quiet {
		return nil
	}
	sh := man.Shard
	fmt.Fprintf(e.stdout, "%s: shard %d of %d: %d of %d runs of %d steps in %.1fs, written to %s%c\n",
		cfg.Name, sh.Index, sh.Count, len(mine), len(cfg.Tasks()), cfg.Steps, man.WallSeconds, dir, filepath.Separator)
	fmt.Fprintf(e.stdout, "when every shard is done, assemble the tables and plots with\n  triad merge %s\n", filepath.Dir(dir))
	return nil
}
