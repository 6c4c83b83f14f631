package main

func init() {
	// Tests never ask a real Slurm: squeue is "not on PATH" unless a
	// test stands in for it.
	squeue = func() ([]byte, bool) { return nil, false }
}
