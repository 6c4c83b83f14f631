package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triad-sim/triad/runs"
)

// TestInterruptMessage runs commands under a cancelled context, as after
// Ctrl-C or SIGTERM: exit 130 and one message that says what was kept and
// how to go on, with no "context canceled" line.
func TestInterruptMessage(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	sharded := filepath.Join(t.TempDir(), "sharded")
	runShards(t, shardScenario, sharded, 2)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"run", []string{"run", "testdata/golden/small.yaml", "--out", out}, "triad run --resume " + out},
		{"compare", []string{"compare", "testdata/golden/small.yaml", "testdata/golden/small.yaml", "--out", out + "-c"}, "nothing is kept"},
		{"merge", []string{"merge", sharded}, "triad merge " + sharded},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var stdout, stderr bytes.Buffer
			code := run(ctx, c.args, &stdout, &stderr)
			got := stderr.String()
			if code != exitInterrupt {
				t.Fatalf("exit %d, want %d\n%s", code, exitInterrupt, got)
			}
			if !strings.Contains(got, c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, got)
			}
			if strings.Contains(got, "context canceled") || strings.Count(got, "triad:") != 1 {
				t.Errorf("want one message without \"context canceled\", got:\n%s", got)
			}
			if c.name == "merge" && (runs.IsFile(filepath.Join(sharded, runs.ManifestName)) || runs.IsFile(filepath.Join(sharded, "summary.csv"))) {
				t.Error("an interrupted merge wrote the merged manifest or tables")
			}
		})
	}
}
