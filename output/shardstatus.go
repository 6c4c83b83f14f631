package output

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"
)

// ShardLine is a shard as the table of a sharded run's status shows it:
// its state as status --json reports it, who holds it while it runs (as
// runs.ShortHolder says), and whether it has a folder and is not finished,
// when the table says how long ago it saved its newest run.
type ShardLine struct {
	ShardJSON
	Holder     string
	Unfinished bool
}

// WriteShardStatus writes the state of a sharded run for the terminal
// from s, as status --json reports it (Folder, Scenario, RunsTotal,
// ShardCount, RunsSaved, Rerun and MaybeQueued; Scenario is "" while no
// shard has said which scenario they run), and lines, its shards in
// order: a line that names the run, a table of the shards (state, runs
// saved of those expected, how long before now the newest was saved), and
// a line that counts the runs saved and the shards done, queued or
// running, and stopped or missing.
func WriteShardStatus(w io.Writer, s *StatusJSON, lines []ShardLine, now time.Time) error {
	bw := &errWriter{w: w}
	total := "?"
	if s.Scenario != "" {
		total = strconv.Itoa(s.RunsTotal)
		fmt.Fprintf(bw, "%s: %s in %d shards, %d runs\n", s.Folder, s.Scenario, s.ShardCount, s.RunsTotal)
	} else {
		fmt.Fprintf(bw, "%s: %d shards, scenario not known yet\n", s.Folder, s.ShardCount)
	}
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "shard\tstate\truns\tlast run saved")
	done, busy := 0, 0
	for _, l := range lines {
		state, want, last := l.State, "?", ""
		switch state {
		case "done":
			done++
		case "running":
			state = "running (" + l.Holder + ")"
			busy++
		case "queued", "starting":
			state += " in Slurm"
			busy++
		case "missing_or_queued":
			state = "missing or queued"
		}
		if l.RunsExpected != nil {
			want = strconv.Itoa(*l.RunsExpected)
		}
		if l.Unfinished {
			if l.LastSaved == nil {
				last = "none yet"
			} else {
				last = now.Sub(*l.LastSaved).Round(time.Second).String() + " ago"
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%d/%s\t%s\n", l.Index, state, l.Runs, want, last)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(bw, "%d of %s runs saved; %d of %d shards done, %d queued or running, %d stopped or missing\n",
		s.RunsSaved, total, done, s.ShardCount, busy, len(s.Rerun)+len(s.MaybeQueued))
	return bw.err
}
