package runs

import (
	"slices"
	"testing"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// TestStatusJSON checks what status --json says of a folder: complete or
// not, and merged or not, from the manifest, the run files and the
// shards.
func TestStatusJSON(t *testing.T) {
	cfg := sim.Config{Name: "s", Replicates: 3}
	man := func(complete bool) *Manifest { return &Manifest{Scenario: cfg, Complete: complete} }
	shards := func(ref bool, conds ...Condition) (*ShardSet, []ShardStatus) {
		set := &ShardSet{Count: len(conds)}
		if ref {
			set.Ref = &ShardFolder{Man: man(true)}
		}
		all := make([]ShardStatus, len(conds))
		for i, c := range conds {
			all[i] = ShardStatus{Index: i, Condition: c}
		}
		return set, all
	}
	tab := ShardTable{Shards: []output.ShardJSON{{Index: 0, State: "done", Runs: 2}}, Saved: 2, Rerun: []int{1}, MaybeQueued: []int{}}
	done, halted := ShardFinished, ShardHalted
	for _, c := range []struct {
		name             string
		st               Status
		scenario         string
		total, saved     int
		complete, merged bool
	}{
		{"a whole run", Status{Man: man(true), Runs: RunCount{Want: 3, Have: 3}}, "s", 3, 3, true, false},
		{"a finished run that lacks a run file", Status{Man: man(true), Runs: RunCount{Want: 3, Have: 2, Lacking: 1}}, "s", 3, 2, false, false},
		{"a stopped run", Status{Man: man(false), Runs: RunCount{Want: 3, Have: 1, Lacking: 2}}, "s", 3, 1, false, false},
		{"shards not started", shardStatus(shards(false, ShardMissing, ShardMissing)), "", 0, 2, false, false},
		{"a shard stopped", shardStatus(shards(true, done, halted)), "s", 3, 2, false, false},
		{"every shard done", shardStatus(shards(true, done, done)), "s", 3, 2, true, false},
		{"merged", merged(shardStatus(shards(true, done, done)), 0), "s", 3, 2, true, true},
		{"merged, but lacking a run file", merged(shardStatus(shards(true, done, done)), 1), "s", 3, 2, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.st.Dir = "out/s"
			js := c.st.JSON(tab)
			sharded := c.st.Shards != nil
			if js.SchemaVersion != output.SchemaVersion || js.Folder != "out/s" || js.Scenario != c.scenario ||
				js.RunsTotal != c.total || js.RunsSaved != c.saved || js.Complete != c.complete || js.Merged != c.merged || js.Sharded != sharded {
				t.Errorf("JSON gave %+v, want scenario %q, %d of %d runs, complete %v, merged %v, sharded %v", js, c.scenario, c.saved, c.total, c.complete, c.merged, sharded)
			}
			if sharded && (js.ShardCount != c.st.Shards.Count || len(js.Shards) != 1 || !slices.Equal(js.Rerun, tab.Rerun) || js.MaybeQueued == nil) {
				t.Errorf("JSON of shards gave %+v, want the shards of the table", js)
			}
			if !sharded && (js.ShardCount != 0 || js.Shards != nil || js.Rerun != nil) {
				t.Errorf("JSON of a run that was not sharded gave %+v, want no shards", js)
			}
		})
	}
}

func shardStatus(set *ShardSet, all []ShardStatus) Status { return Status{Shards: set, Shard: all} }

func merged(s Status, lacking int) Status {
	s.Man, s.Merged, s.Runs = &Manifest{Complete: true}, true, RunCount{Want: 3, Have: 3 - lacking, Lacking: lacking}
	return s
}
