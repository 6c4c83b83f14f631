package runs

import "github.com/triad-sim/triad/output"

// JSON is s as status --json reports it. The folder of a run that was not
// sharded is complete when its manifest is and it lacks no run file; a
// sharded run, whose shards t classifies (s.Table), when every shard is
// finished, and merged when its merge lacks no run file either.
func (s *Status) JSON(t ShardTable) output.StatusJSON {
	js := output.StatusJSON{SchemaVersion: output.SchemaVersion, Folder: s.Dir}
	if s.Shards == nil {
		js.Scenario, js.RunsTotal, js.RunsSaved = s.Man.Scenario.Name, s.Runs.Want, s.Runs.Have
		js.Complete = s.Man.Complete && s.Runs.Lacking == 0
		return js
	}
	js.Sharded, js.ShardCount = true, s.Shards.Count
	if ref := s.Shards.Ref; ref != nil {
		js.Scenario, js.RunsTotal = ref.Man.Scenario.Name, len(ref.Man.Scenario.Tasks())
	}
	js.Shards, js.RunsSaved, js.Rerun, js.MaybeQueued = t.Shards, t.Saved, t.Rerun, t.MaybeQueued
	js.Complete = s.Finished() == s.Shards.Count
	js.Merged = js.Complete && s.Merged && s.Runs.Lacking == 0
	return js
}
