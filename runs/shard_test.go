package runs

import (
	"slices"
	"testing"

	"github.com/triad-sim/triad/sim"
)

func TestShardTasksSplitEveryTaskOnce(t *testing.T) {
	cfg := sim.Config{Replicates: 5}
	all := cfg.Tasks()
	for _, n := range []int{1, 2, 3, 5, 7, 12} {
		var got []sim.Task
		for i := range n {
			mine := ShardTasks(all, &Shard{Index: i, Count: n})
			for j, task := range mine {
				if k := slices.Index(all, task); k%n != i || (j > 0 && slices.Index(all, mine[j-1]) >= k) {
					t.Errorf("%d shards: shard %d holds task %d (%+v) out of order or turn", n, i, k, task)
				}
			}
			got = append(got, mine...)
		}
		slices.SortFunc(got, compareTasks)
		if !slices.Equal(got, all) {
			t.Errorf("%d shards: the shards hold %v, want every task once: %v", n, got, all)
		}
	}
}

func TestShardFolderNames(t *testing.T) {
	for _, sh := range []Shard{{Index: 0, Count: 1}, {Index: 3, Count: 8}, {Index: 12345, Count: 20000}} {
		got, ok := ParseShardDirName(ShardDirName(sh.Index, sh.Count))
		if !ok || got != sh {
			t.Errorf("ParseShardDirName(%q) = %+v, %v, want %+v", ShardDirName(sh.Index, sh.Count), got, ok, sh)
		}
	}
	for _, name := range []string{"shard-3-of-8", "shard-0008-of-0008", "shard-0001-of-0000", "shard-0001-of-0003.tmp", "runs"} {
		if sh, ok := ParseShardDirName(name); ok {
			t.Errorf("ParseShardDirName(%q) = %+v, want no shard", name, sh)
		}
	}
}
