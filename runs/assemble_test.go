package runs

import (
	"context"
	"errors"
	"testing"

	"github.com/triad-sim/triad/sim"
)

// TestLoadAhead checks the reader that keeps runs ahead of the tables:
// every run in the order asked, none read after an error, and an early
// stop that leaves no goroutine blocked.
func TestLoadAhead(t *testing.T) {
	var tasks []sim.Task
	for p := range 3 {
		for r := range 4 {
			tasks = append(tasks, sim.Task{Point: p, Replicate: r})
		}
	}
	bad := errors.New("unreadable")
	for _, tc := range []struct {
		name    string
		failAt  int // index of the task whose read fails; -1 for none
		readN   int // runs the reader takes before it stops
		wantErr bool
	}{
		{"all", -1, len(tasks), false},
		{"an error stops the reading", 5, 6, true},
		{"the reader stops early", -1, 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reads := 0
			load := func(task sim.Task) (*sim.RunResult, error) {
				reads++
				if tc.failAt >= 0 && task == tasks[tc.failAt] {
					return nil, bad
				}
				return &sim.RunResult{Point: task.Point, Replicate: task.Replicate}, nil
			}
			ahead, stop := loadAhead(context.Background(), tasks, load, 2)
			var gotErr error
			for k := range tc.readN {
				l := <-ahead
				if l.err != nil {
					gotErr = l.err
					break
				}
				if l.run.Point != tasks[k].Point || l.run.Replicate != tasks[k].Replicate {
					t.Fatalf("read %d: run %d/%d, want %d/%d", k, l.run.Point, l.run.Replicate, tasks[k].Point, tasks[k].Replicate)
				}
			}
			stop()
			if (gotErr != nil) != tc.wantErr {
				t.Fatalf("error %v, want one: %v", gotErr, tc.wantErr)
			}
			if tc.failAt >= 0 && reads != tc.failAt+1 {
				t.Errorf("%d runs read, want none after the error (%d)", reads, tc.failAt+1)
			}
			if _, open := <-ahead; open {
				t.Error("the channel is still open after stop")
			}
		})
	}
}
