package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// runOptions are the flags of `triad run`.
type runOptions struct {
	out     string
	sweeps  []string
	force   bool
	noPlots bool
	resume  string
	shard   string
	asJSON  bool
	experimentFlags
	execFlags
}

func (o *runOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVarP(&o.out, "out", "o", "", "output folder (default out/NAME)")
	o.experimentFlags.addFlags(fs, "the scenario's")
	fs.StringArrayVar(&o.sweeps, "sweep", nil, "sweep a parameter, PATH=V1,V2,... or PATH=FROM:TO:STEP (repeatable; replaces the scenario's sweep)")
	fs.BoolVar(&o.force, "force", false, "replace an existing output folder")
	fs.BoolVar(&o.noPlots, "no-plots", false, "write the tables and the report but no charts (faster, for benchmarks and large sweeps)")
	fs.StringVar(&o.resume, "resume", "", "finish the stopped run in this output folder")
	fs.StringVar(&o.shard, "shard", "", "run only shard I of N (I/N, or auto/N to take I from the batch engine) into OUT/shard-IIII-of-NNNN")
	fs.BoolVar(&o.asJSON, "json", false, "print the final summary as JSON (see docs/CLI.md)")
	o.execFlags.addFlags(fs)
}

func (o *runOptions) execute(e *env, fs *pflag.FlagSet) error {
	if err := o.check("run"); err != nil {
		return err
	}
	if o.asJSON && o.shard != "" {
		return usagef("run", "--json summarizes a whole run: merge the shards first")
	}
	if o.resume != "" {
		for _, f := range []string{"out", "seed", "replications", "steps", "set", "sweep", "policy", "posterior", "force", "shard", "no-plots"} {
			if fs.Changed(f) {
				return usagef("run", "--resume continues a run as it was started; it cannot take --%s", f)
			}
		}
		if fs.NArg() != 0 {
			return usagef("run", "--resume takes the output folder, not a scenario")
		}
		return resumeRun(e, *o)
	}
	if fs.NArg() != 1 {
		return usagef("run", "run takes one scenario (a file or a built-in name), got %d", fs.NArg())
	}
	_, src, cfg, err := loadScenario(fs.Arg(0), o.large)
	if err != nil {
		return err
	}
	if err := o.apply(fs, &cfg); err != nil {
		return err
	}
	notePosterior(e, &cfg, o.quiet)
	if err := o.checkMemory(&cfg, scenarios.Runs(&cfg), cfg.Replicates); err != nil {
		return err
	}
	if o.out == "" {
		o.out = filepath.Join("out", cfg.Name)
	}
	if o.shard != "" {
		return runShard(e, *o, src, cfg)
	}
	return startRun(e, *o, src, cfg)
}

// startRun runs cfg, read from src, into a new output folder o.out.
func startRun(e *env, o runOptions, src []byte, cfg sim.Config) error {
	man := runs.NewManifest(e.program(), cfg, src)
	man.NoPlots = o.noPlots
	f, err := runs.Create(o.out, man, o.force, owner(e))
	if err != nil {
		return err
	}
	defer f.Close()
	if o.force {
		noteKept(e, o.out, o.quiet)
	}
	return runFolder(e, f, o)
}

// resumeRun finishes a stopped run from its output folder. Every run file
// there is checked first; in a finished folder, runs whose files were
// removed are made again and the outputs assembled again, as are outputs
// whose files were removed, so that "remove it and resume" mends a folder.
func resumeRun(e *env, o runOptions) error {
	if st, err := os.Stat(o.resume); err != nil || !st.IsDir() {
		return &inputError{fmt.Errorf("%s is not a folder: give --resume the output folder of a stopped run", o.resume)}
	}
	f, err := runs.Open(o.resume, owner(e))
	if err != nil {
		return err
	}
	defer f.Close()
	if done, err := goOn(e, f, o); done || err != nil {
		return err
	}
	man := &f.Man
	if err := scenarios.CheckCaps(&man.Scenario, caps(o.large)); err != nil {
		return &inputError{fmt.Errorf("%s: the scenario in the manifest:\n%w", o.resume, err)}
	}
	man.Platform = runs.Platform()
	if err := o.checkMemory(&man.Scenario, scenarios.Runs(&man.Scenario), man.Scenario.Replicates); err != nil {
		return err
	}
	return runFolder(e, f, o)
}

// goOn readies f, the folder of a stopped or finished run or shard, for
// runFolder to finish it (see runs.Folder.Resume), and says what it
// lacks; done is set when it lacks nothing.
func goOn(e *env, f *runs.Folder, o runOptions) (done bool, err error) {
	lack, err := f.Resume(e.ctx, version)
	if ve, ok := errors.AsType[*runs.VersionError](err); ok {
		if ve.Finished {
			return false, &inputError{fmt.Errorf("%w: run the scenario again into a new folder", err)}
		}
		return false, &inputError{fmt.Errorf("%w: start it again", err)}
	}
	switch {
	case err != nil:
		return false, err
	case lack.Nothing():
		if !o.quiet && !o.asJSON {
			fmt.Fprintln(e.stdout, f.Done())
		}
		return true, nil
	}
	if note := f.Making(lack); note != "" {
		fmt.Fprintf(e.stderr, "triad: %s\n", note)
	}
	return false, nil
}

// runFolder runs what the folder f lacks, then prints what it made: the
// report of a run, or what to do next for a shard.
func runFolder(e *env, f *runs.Folder, o runOptions) error {
	t := clock()
	prog := newProgress(e, 0, 0, o.quiet)
	a, err := f.Run(e.ctx, runs.RunOptions{Workers: o.workers, Timing: t, Progress: runs.Progress{
		Begin: prog.Begin,
		Saved: func(*sim.RunResult) { prog.Done() },
	}})
	prog.Finish()
	if err != nil {
		return runError(e, err)
	}
	man, dir := f.Man, f.Dir
	cfg := man.Scenario
	switch {
	case man.Shard != nil && !o.quiet:
		fmt.Fprintln(e.stdout, f.ShardMade())
		fmt.Fprintf(e.stdout, "when every shard is done, assemble the tables and plots with\n  triad merge %s\n", filepath.Dir(dir))
		return nil
	case man.Shard != nil:
		return nil
	case o.asJSON:
		return output.WriteJSON(e.stdout, a.RunJSON(dir, &cfg, man.WallSeconds))
	case o.quiet:
		return nil
	}
	return a.Made(dir, &cfg, man.WallSeconds).Write(e.stdout)
}

// runError says what a run that stopped kept and how to finish it.
func runError(e *env, err error) error {
	s, ok := runs.StopOf(err)
	if !ok {
		return err
	}
	finish, hint := "finish them with\n  triad run --resume "+s.Dir, ""
	if s.Assembled {
		finish = "finish with\n  triad run --resume " + s.Dir
	}
	if s.DiskFull {
		hint = "free some disk space, then "
	}
	switch {
	case s.Save:
		return fmt.Errorf("save runs: %w\n%s; %s%s", s.Err, s.Kept(), hint, finish)
	case e.ctx.Err() != nil:
		return &interruptedError{fmt.Sprintf("interrupted: %s; %s", s.Kept(), finish)}
	case s.Assembled && s.DiskFull:
		return fmt.Errorf("assemble results: %w\n%s; %s%s", s.Err, s.Kept(), hint, finish)
	case s.Assembled:
		return fmt.Errorf("assemble results: %w", s.Err)
	}
	return fmt.Errorf("stopped: %s; %s\n%w", s.Kept(), finish, s.Err)
}
