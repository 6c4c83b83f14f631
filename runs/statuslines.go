package runs

import "github.com/triad-sim/triad/output"

// ShardLines are the shards of s, classified as t (s.Table), as the
// terminal's table shows them (output.WriteShardStatus): with who holds a
// running shard and whether a shard has a folder and is not finished.
func (s *Status) ShardLines(t ShardTable) []output.ShardLine {
	lines := make([]output.ShardLine, len(s.Shard))
	for k, sh := range s.Shard {
		lines[k] = output.ShardLine{ShardJSON: t.Shards[k], Unfinished: sh.Folder != nil && sh.Condition != ShardFinished}
		if sh.Condition == ShardRunning {
			lines[k].Holder = ShortHolder(sh.Folder.Holder)
		}
	}
	return lines
}
