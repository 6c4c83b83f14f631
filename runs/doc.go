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
// A Folder is the protocol in one type (see its documentation): Create
// starts the folder of a run (CreateShard that of one shard of a sharded
// run), Open takes a stopped or finished one, and Folder.Run saves each
// finished run as a run file (Store, WriteRun), assembles every table,
// chart and the report (Assemble) as the runs are saved, and marks the
// manifest complete once all are there (a shard's folder is only marked,
// for the merge). Resuming (Folder.Resume, then Run), merging shards
// (Folder.Merge) and a run on one machine go through the same files and
// the same assembly, so their outputs are byte-identical; Folder.Status
// says how the shards of a sharded run stand, in the one classification
// that Merge checks too. Every file is written atomically
// (WriteFileAtomic). Owned says whether a folder is one triad wrote and
// may replace; the lock (LockFolder) keeps two processes out of one folder.
//
// A finished folder's runs also make a baseline (MakeBaseline; a check
// reads one back with ReadBaseline) and join a comparison: Pairing
// gathers folders and scenarios so that their runs pair, CompareSets and
// WriteComparison make its folder.
//
// Every file the package reads goes through ReadFile: a regular file only
// (never a named pipe or a device), no larger than the cap of its kind. What
// it holds is checked before it is used: a manifest against its own
// scenario (ReadManifest), a run file by its checksum, then as the run its
// folder expects, then against its scenario (Store.Load); Resume, Status
// and Report read every run file of a folder, so that a folder is complete
// only when its runs are there, whole. Assemble, Merge, Report, Status,
// Resume and LoadRunSet stop between runs once their context is done.
//
// Errors wrap the sentinels of errors.go (ErrNotOurFolder, ErrIncomplete,
// ErrMixedShards, ErrLocked, ...) with the detail; the command maps them to
// exit codes. What the user can do about an error is data (Advice and its
// Fix, StoppedError and AssembleError, which StopOf reads as one Stop,
// VersionError, UnfinishedError): the package never names the command's
// flags or commands, which the command adds in its own words. The facts
// themselves it words for the command to print: what going on with a
// folder makes (Folder.Making, Folder.Done, Folder.ShardMade), what a
// stopped run keeps (Stop.Kept), which shards are not done
// (UnfinishedError.Lines), what a replaced folder kept (KeptNote) and what
// status --json reports (Status.JSON).
//
// The package never parses flags, never reads scenario files (package
// scenarios), the environment or the clock, and never prints: the command
// passes in its version, command line, host, home folder and the time
// (Program, Invocation, Owner, Holder, Timing) and tells the user what
// happened.
package runs
