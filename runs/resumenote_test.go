package runs

import (
	"path/filepath"
	"testing"

	"github.com/triad-sim/triad/sim"
)

// TestResumeNotes checks what a folder says when it goes on: that it is
// complete, what it makes again (a run's missing files or outputs, a
// shard's missing run files), that a stopped shard resumes, and nothing
// for a stopped run; and what a shard made.
func TestResumeNotes(t *testing.T) {
	cfg := sim.Config{Name: "s", Replicates: 8, Steps: 24}
	run := &Folder{Dir: "out/s", Man: Manifest{Scenario: cfg}}
	shard := &Folder{Dir: "out/s/shard-0001-of-0003", Man: Manifest{Scenario: cfg, Shard: &Shard{Index: 1, Count: 3}, WallSeconds: 1.25}}
	for _, tc := range []struct {
		name string
		f    *Folder
		lack Lack
		want string
	}{
		{"a stopped run", run, Lack{Stopped: true, Runs: 3}, ""},
		{"a run without run files", run, Lack{Runs: 2}, "out/s lacks 2 run file(s): making them again"},
		{"a run without outputs", run, Lack{Outputs: []string{"report.html", "summary.csv"}}, "out/s lacks report.html, summary.csv: making them again"},
		{"a stopped shard", shard, Lack{Stopped: true, Runs: 1}, "resuming the stopped shard in out/s/shard-0001-of-0003"},
		{"a shard without run files", shard, Lack{Runs: 1}, "the shard in out/s/shard-0001-of-0003 lacks 1 run file(s): making them again"},
	} {
		if got := tc.f.Making(tc.lack); got != tc.want {
			t.Errorf("%s: Making() = %q, want %q", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct{ got, want string }{
		{run.Done(), "out/s is already complete; nothing to do"},
		{shard.Done(), "s: shard 1 of 3 is already complete in out/s/shard-0001-of-0003; nothing to do"},
		{shard.ShardMade(), "s: shard 1 of 3: 3 of 8 runs of 24 steps in 1.2s, written to out/s/shard-0001-of-0003" + string(filepath.Separator)},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
