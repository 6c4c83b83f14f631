package runs

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triad-sim/triad/output"
)

func TestMakeBaseline(t *testing.T) {
	root := t.TempDir()
	finished := func(name string, reps int) string {
		cfg := toy(t)
		cfg.Replicates = reps
		dir := filepath.Join(root, name)
		man := startFolder(t, dir, cfg, nil)
		if _, _, err := runAndFinish(context.Background(), dir, man, 1, Progress{}, fixed); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	three, one := finished("three", 3), finished("one", 1)

	b, err := MakeBaseline(context.Background(), three, "v9")
	if err != nil {
		t.Fatal(err)
	}
	set, err := LoadRunSet(context.Background(), three)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := output.WriteBaseline(&want, output.BaselineOf(set, "v9")); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := b.Write(&got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) || !bytes.Equal(b.JSON, want.Bytes()) {
		t.Errorf("the baseline's file differs from WriteBaseline's:\n%s\nwant\n%s", got.Bytes(), want.Bytes())
	}
	if b.Runs != 6 || b.Version != "v9" || b.Scenario != "toy" || len(b.Metrics) == 0 {
		t.Errorf("baseline of %d runs, version %q, scenario %q, %d metrics; want 6 runs of toy by v9", b.Runs, b.Version, b.Scenario, len(b.Metrics))
	}

	// One replication gives no sd: check would refuse that baseline.
	_, err = MakeBaseline(context.Background(), one, "v9")
	var be *BaselineError
	if !errors.As(err, &be) || be.Refusal == nil || be.Dir != one {
		t.Fatalf("one replication: got %v, want a refusal of %s", err, one)
	}
	if !strings.HasPrefix(err.Error(), "the runs of "+one+" make no valid baseline: ") {
		t.Errorf("one replication: %v", err)
	}

	if _, err := MakeBaseline(context.Background(), filepath.Join(root, "none"), "v9"); !errors.Is(err, ErrNotOurFolder) || errors.As(err, &be) {
		t.Errorf("no folder: got %v, want ErrNotOurFolder", err)
	}
}

func TestBaselineErrorWording(t *testing.T) {
	refusal := errors.New("metric t50: sd is missing")
	tests := []struct {
		err  *BaselineError
		want string
	}{
		{&BaselineError{Dir: "out/big", Size: 70 << 20}, "the baseline of out/big would take 70 MiB, more than 64 MiB, the cap on a baseline: check fewer sweep points"},
		{&BaselineError{Dir: "out/one", Refusal: refusal}, "the runs of out/one make no valid baseline: metric t50: sd is missing"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
		if (tt.err.Refusal != nil) != errors.Is(tt.err, refusal) {
			t.Errorf("%q: errors.Is(refusal) = %v", tt.want, errors.Is(tt.err, refusal))
		}
	}
}

func TestReadBaseline(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	b := output.Baseline{Scenario: "toy", Version: "v", Seed: 1, Replicates: 3,
		Metrics: []output.BaselineMetric{{Metric: "t50", N: 3, Mean: 20, SD: 1}}}
	if err := WriteFileAtomic(good, func(w io.Writer) error { return output.WriteBaseline(w, b) }); err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(dir, "junk.json")
	if err := os.WriteFile(junk, []byte("not a baseline"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, prefix string
	}{
		{"a baseline", good, ""},
		{"no such file", filepath.Join(dir, "none.json"), "baseline: "},
		{"a folder", dir, "baseline: "},
		{"not a baseline", junk, junk + ": "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadBaseline(tt.path)
			switch {
			case tt.prefix == "" && (err != nil || got.Scenario != "toy" || len(got.Metrics) != 1):
				t.Errorf("got %+v, %v", got, err)
			case tt.prefix != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.prefix)):
				t.Errorf("got %v, want an error starting %q", err, tt.prefix)
			}
		})
	}
}
