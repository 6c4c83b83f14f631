package runs

import (
	"fmt"
	"path/filepath"
)

// Done says, for the terminal, that the folder lacked nothing when Resume
// read it: "out/x is already complete; nothing to do", or for the folder
// of a shard "NAME: shard 1 of 3 is already complete in DIR; nothing to
// do".
func (f *Folder) Done() string {
	if sh := f.Man.Shard; sh != nil {
		return fmt.Sprintf("%s: shard %d of %d is already complete in %s; nothing to do", f.Man.Scenario.Name, sh.Index, sh.Count, f.Dir)
	}
	return f.Dir + " is already complete; nothing to do"
}

// Making says, for a note, what Run is to make of what the folder lacks
// (l, from Resume): "out/x lacks 2 run file(s): making them again", "the
// shard in DIR lacks 1 run file(s): making them again", "resuming the
// stopped shard in DIR"; "" for a stopped run, which simply goes on.
func (f *Folder) Making(l Lack) string {
	switch {
	case f.Man.Shard != nil && l.Stopped:
		return "resuming the stopped shard in " + f.Dir
	case f.Man.Shard != nil:
		return fmt.Sprintf("the shard in %s lacks %d run file(s): making them again", f.Dir, l.Runs)
	case l.Stopped:
		return ""
	}
	return fmt.Sprintf("%s lacks %s: making them again", f.Dir, l.What())
}

// ShardMade says, for the terminal, what Run made in the folder of a
// shard: "NAME: shard 1 of 3: 3 of 8 runs of 24 steps in 1.2s, written to
// DIR/".
func (f *Folder) ShardMade() string {
	cfg, sh := f.Man.Scenario, f.Man.Shard
	return fmt.Sprintf("%s: shard %d of %d: %d of %d runs of %d steps in %.1fs, written to %s%c",
		cfg.Name, sh.Index, sh.Count, len(ShardTasks(cfg.Tasks(), sh)), len(cfg.Tasks()), cfg.Steps, f.Man.WallSeconds, f.Dir, filepath.Separator)
}
