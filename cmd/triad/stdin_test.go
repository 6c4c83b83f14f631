package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/triad-sim/triad/scenarios"
)

func TestValidateStdin(t *testing.T) {
	small, err := os.ReadFile("testdata/golden/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		stdin  string
		exit   int
		stdout string
		stderr string
	}{
		{"a valid scenario", string(small), 0, "<stdin>: ok (3 regions", ""},
		{"an invalid one is named <stdin>", strings.Replace(string(small), "steps: 24", "steps: -1", 1), exitUsage, "", "<stdin>:8:"},
		{"one over the size limit", strings.Repeat("#", scenarios.MaxSize+1), exitUsage, "", "<stdin> has more than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runIO(context.Background(), []string{"validate", "-"}, strings.NewReader(c.stdin), &stdout, &stderr)
			if code != c.exit || !strings.Contains(stdout.String(), c.stdout) || !strings.Contains(stderr.String(), c.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, %q and %q", code, stdout.String(), stderr.String(), c.exit, c.stdout, c.stderr)
			}
		})
	}
}
