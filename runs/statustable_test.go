package runs

import (
	"os"
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestStatusTable(t *testing.T) {
	last := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))
	st := &Status{Shard: []ShardStatus{
		{Index: 0, Condition: ShardFinished, Runs: 4, Want: 4},
		{Index: 1, Condition: ShardRunning, Runs: 2, Want: 4, Last: last},
		{Index: 2, Condition: ShardMissing, Want: 4},
		{Index: 3, Condition: ShardMissing, Want: 4},
		{Index: 4, Condition: ShardHalted, Runs: 1, Want: -1},
		{Index: 5, Condition: ShardUnstarted, Runs: 3, Want: 4},
	}}
	for _, c := range []struct {
		name               string
		queued             map[int]string
		asked              bool
		states             []string
		saved, busy        int
		rerun, maybeQueued []int
	}{
		{"no engine", nil, false,
			[]string{"done", "running", "missing_or_queued", "missing_or_queued", "stopped", "stopped"}, 10, 1, []int{4, 5}, []int{2, 3}},
		{"engine, nothing queued", map[int]string{}, true,
			[]string{"done", "running", "missing", "missing", "stopped", "stopped"}, 10, 1, []int{2, 3, 4, 5}, []int{}},
		{"engine holds 3 and 5", map[int]string{3: "queued", 5: "starting"}, true,
			[]string{"done", "running", "missing", "queued", "stopped", "starting"}, 7, 3, []int{2, 4}, []int{}},
	} {
		tab := st.Table(c.queued, c.asked)
		var states []string
		for _, sj := range tab.Shards {
			states = append(states, sj.State)
		}
		if !slices.Equal(states, c.states) || tab.Saved != c.saved || tab.Busy != c.busy ||
			!slices.Equal(tab.Rerun, c.rerun) || !slices.Equal(tab.MaybeQueued, c.maybeQueued) {
			t.Errorf("%s: states %v saved %d busy %d rerun %v maybe %v, want %v %d %d %v %v", c.name,
				states, tab.Saved, tab.Busy, tab.Rerun, tab.MaybeQueued, c.states, c.saved, c.busy, c.rerun, c.maybeQueued)
		}
		if tab.Shards[4].RunsExpected != nil || *tab.Shards[0].RunsExpected != 4 {
			t.Errorf("%s: runs_expected wrong: %v %v", c.name, tab.Shards[4].RunsExpected, tab.Shards[0].RunsExpected)
		}
		if tab.Shards[1].LastSaved == nil || !tab.Shards[1].LastSaved.Equal(last) || tab.Shards[1].LastSaved.Location() != time.UTC || tab.Shards[0].LastSaved != nil {
			t.Errorf("%s: last_saved wrong: %v %v", c.name, tab.Shards[1].LastSaved, tab.Shards[0].LastSaved)
		}
	}
}

func TestArrayRanges(t *testing.T) {
	for _, tc := range []struct {
		idx  []int
		want string
	}{
		{nil, ""},
		{[]int{4}, "4"},
		{[]int{0, 1, 2}, "0-2"},
		{[]int{1, 2, 3, 5}, "1-3,5"},
		{[]int{0, 2, 4, 5, 9, 10, 11}, "0,2,4-5,9-11"},
	} {
		if got := ArrayRanges(tc.idx); got != tc.want {
			t.Errorf("ArrayRanges(%v) = %q, want %q", tc.idx, got, tc.want)
		}
	}
}

func TestShardStatusDescribe(t *testing.T) {
	for _, tc := range []struct {
		st   ShardStatus
		want string
	}{
		{ShardStatus{Condition: ShardMissing}, "missing"},
		{ShardStatus{Condition: ShardFinished}, "done"},
		{ShardStatus{Condition: ShardUnstarted}, "starting, or stopped before its first run"},
		{ShardStatus{Condition: ShardHalted, Runs: 3, Want: 10}, "running or stopped, 3 of 10 runs saved"},
	} {
		if got := tc.st.Describe(); got != tc.want {
			t.Errorf("%+v: Describe() = %q, want %q", tc.st, got, tc.want)
		}
	}
}

// TestUnfinishedLines checks what merge says of shards that are not
// done (one line each after a count) and which it advises to run again:
// neither a finished shard nor a running one.
func TestUnfinishedLines(t *testing.T) {
	for _, tc := range []struct {
		name  string
		conds []Condition
		lines string
		rerun []int
	}{
		{"one missing", []Condition{ShardFinished, ShardMissing},
			"1 of 2 shards are not done:\n  shard 1: missing\n", []int{1}},
		{"stopped and starting", []Condition{ShardHalted, ShardFinished, ShardUnstarted},
			"2 of 3 shards are not done:\n  shard 0: running or stopped, 1 of 2 runs saved\n  shard 2: starting, or stopped before its first run\n", []int{0, 2}},
		{"running only", []Condition{ShardRunning, ShardFinished},
			"1 of 2 shards are not done:\n  shard 0: running (pid " + strconv.Itoa(os.Getpid()) + " on host h)\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &UnfinishedError{Dir: "out", Shards: &ShardSet{Count: len(tc.conds)}}
			for i, c := range tc.conds {
				e.Shard = append(e.Shard, ShardStatus{Index: i, Condition: c, Runs: 1, Want: 2, Folder: &ShardFolder{Holder: Holder{Command: "run x", Host: "h"}.text()}})
			}
			if got := e.Lines(); got != tc.lines {
				t.Errorf("Lines() = %q, want %q", got, tc.lines)
			}
			if got := e.Rerun(); !slices.Equal(got, tc.rerun) {
				t.Errorf("Rerun() = %v, want %v", got, tc.rerun)
			}
		})
	}
}
