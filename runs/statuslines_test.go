package runs

import (
	"testing"
	"time"
)

// TestShardLines checks what the terminal's table gets beside each
// shard's state: the holder of a running shard, and whether a shard has a
// folder and is not finished.
func TestShardLines(t *testing.T) {
	last := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	st := &Status{Shard: []ShardStatus{
		{Index: 0, Condition: ShardFinished, Runs: 4, Want: 4, Folder: &ShardFolder{}},
		{Index: 1, Condition: ShardRunning, Runs: 2, Want: 4, Last: last, Folder: &ShardFolder{Running: true, Holder: "pid 12\nhost a\ncommand triad run x\n"}},
		{Index: 2, Condition: ShardMissing, Want: 4},
		{Index: 3, Condition: ShardHalted, Runs: 1, Want: -1, Folder: &ShardFolder{}},
		{Index: 4, Condition: ShardUnstarted, Want: 4, Folder: &ShardFolder{}},
	}}
	tab := st.Table(nil, true)
	lines := st.ShardLines(tab)
	if len(lines) != len(st.Shard) {
		t.Fatalf("%d lines for %d shards", len(lines), len(st.Shard))
	}
	want := []struct {
		holder     string
		unfinished bool
	}{{"", false}, {"pid 12 on host a", true}, {"", false}, {"", true}, {"", true}}
	for k, l := range lines {
		if l.Holder != want[k].holder || l.Unfinished != want[k].unfinished || l.State != tab.Shards[k].State || l.Index != k {
			t.Errorf("shard %d: %+v, want state %s, holder %q, unfinished %v", k, l, tab.Shards[k].State, want[k].holder, want[k].unfinished)
		}
	}
}
