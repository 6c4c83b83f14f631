package output

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func TestWriteShardStatus(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ago := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	four := 4
	lines := []ShardLine{
		{ShardJSON: ShardJSON{Index: 0, State: "done", Runs: 4, RunsExpected: &four}},
		{ShardJSON: ShardJSON{Index: 1, State: "running", Runs: 2, RunsExpected: &four, LastSaved: ago(90*time.Second + 400*time.Millisecond)}, Holder: "pid 12 on host a", Unfinished: true},
		{ShardJSON: ShardJSON{Index: 2, State: "queued", RunsExpected: &four}},
		{ShardJSON: ShardJSON{Index: 3, State: "starting", RunsExpected: &four}},
		{ShardJSON: ShardJSON{Index: 4, State: "missing_or_queued", RunsExpected: &four}},
		{ShardJSON: ShardJSON{Index: 5, State: "stopped", Runs: 1}, Unfinished: true},
		{ShardJSON: ShardJSON{Index: 6, State: "missing", RunsExpected: &four}},
	}
	s := &StatusJSON{Folder: "out/big", Scenario: "big", RunsTotal: 28, ShardCount: 7, RunsSaved: 7, Rerun: []int{5, 6}, MaybeQueued: []int{4}}
	var b bytes.Buffer
	if err := WriteShardStatus(&b, s, lines, now); err != nil {
		t.Fatal(err)
	}
	want := `out/big: big in 7 shards, 28 runs
shard  state                       runs  last run saved
0      done                        4/4   
1      running (pid 12 on host a)  2/4   1m30s ago
2      queued in Slurm             0/4   
3      starting in Slurm           0/4   
4      missing or queued           0/4   
5      stopped                     1/?   none yet
6      missing                     0/4   
7 of 28 runs saved; 1 of 7 shards done, 3 queued or running, 3 stopped or missing
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	// Before any shard has said which scenario they run.
	b.Reset()
	if err := WriteShardStatus(&b, &StatusJSON{Folder: "out/big", ShardCount: 2, Rerun: []int{0, 1}}, nil, now); err != nil {
		t.Fatal(err)
	}
	want = "out/big: 2 shards, scenario not known yet\nshard  state  runs  last run saved\n0 of ? runs saved; 0 of 2 shards done, 0 queued or running, 2 stopped or missing\n"
	if b.String() != want {
		t.Errorf("unknown scenario: got\n%s\nwant\n%s", b.String(), want)
	}
	if err := WriteShardStatus(failingWriter{}, s, lines, now); !errors.Is(err, errFull) {
		t.Errorf("a failed write: %v, want %v", err, errFull)
	}
}
