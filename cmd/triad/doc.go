// Command triad simulates how innovations travel between regions (source,
// accelerator and connector hubs) and writes what a scenario's runs give:
// tables, charts, a one-page report and a manifest.
//
// The command is thin: it parses flags, loads scenarios (package
// scenarios), runs them through the output folder protocol (package runs:
// a runs.Folder runs, resumes, shards, merges and reports), and prints.
// Each command is one file (run.go, compare.go, status.go, ...) with an
// options type whose addFlags adds its flags and whose execute runs it;
// the table in cli.go lists them, for dispatch, help and completion alike.
// The long help of every command is in help*.go, and docs/CLI.md says the
// same for readers; the shell completion scripts are in completion/.
package main
