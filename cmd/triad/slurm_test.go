package main

import "github.com/triad-sim/triad/internal/slurm"

func init() {
	// Tests never ask a real Slurm: squeue is "not on PATH" unless a
	// test stands in for it.
	slurm.Squeue = func() ([]byte, bool) { return nil, false }
}
