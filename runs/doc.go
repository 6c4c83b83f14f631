// Package runs is the output folder protocol of triad: how the runs of a
// scenario become a folder of files, and how a folder is resumed, split
// into shards, merged, checked and reported on.
//
// A folder looks like this:
//
//	manifest.json      how it was made, "complete", the SHA-256 of every file
//	runs/pPPPPPP-rRRRRRR.run   one run file per finished run (point × replicate)
//	timeseries.csv, runs.csv, innovations.csv, summary.csv, summary.json,
//	points.csv, sweep-diff.csv (a sweep), sensitivity.csv and
//	sensitivity.json (a Morris or Sobol sweep), plots/*.png|svg, report.html
//	shard-IIII-of-NNNN/ the folder of one shard (manifest.json and runs/)
//	logs/              job logs of a cluster run; .lock while in use
//
// A run starts its folder (Start, or OpenShard for one shard of a sharded
// run), saves each finished run as a run file (RunMissing, Store, WriteRun),
// assembles every table, chart and the report (Assemble) as the runs are
// saved, and marks the manifest complete once all are there
// (RunAndFinish; a shard's folder is only marked, FinishShard).
// Resuming (RunAndFinish on a stopped folder), merging shards (ReadShards,
// Merge) and a run on one machine go through the same files and the same
// assembly, so their outputs are byte-identical. Every file is written atomically
// (WriteFileAtomic). Owned says whether a folder is one triad wrote and may
// replace; LockFolder keeps two processes out of one folder.
//
// Every file the package reads goes through ReadFile: a regular file only
// (never a named pipe or a device), no larger than the cap of its kind. What
// it holds is checked before it is used: a manifest against its own
// scenario (ReadManifest), a run file by its checksum, then as the run its
// folder expects, then against its scenario (Store.Load); CheckRuns reads
// every run file of a folder, so that a folder is complete only when its
// runs are there, whole. Assemble, Merge, RebuildReport, LoadRunSet and
// CheckRuns stop between runs once their context is done.
//
// Errors wrap the sentinels of errors.go (ErrNotOurFolder, ErrIncomplete,
// ErrMixedShards, ErrLocked, ...) with the detail; the command maps them to
// exit codes.
//
// The package never parses flags, never reads scenario files (package
// scenarios), the environment or the clock, and never prints: the command
// passes in its version, command line, host, home folder and the time
// (Invocation, Holder, Timing) and tells the user what happened.
package runs
