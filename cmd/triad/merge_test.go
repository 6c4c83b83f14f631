package main

import (
	"bytes"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triad-sim/triad/runs"
)

// mergedFiles lists the files of an output folder, relative to it, leaving
// out the manifest (whose times differ) and the shard folders.
func mergedFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if _, ok := runs.ParseShardDirName(d.Name()); ok && d.IsDir() {
			return filepath.SkipDir
		}
		if !d.IsDir() && rel != runs.ManifestName {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sameOutputs checks that two output folders hold the same files, byte for
// byte, and manifests that list the same SHA-256s.
func sameOutputs(t *testing.T, got, want string) {
	t.Helper()
	gotFiles, wantFiles := mergedFiles(t, got), mergedFiles(t, want)
	if strings.Join(gotFiles, " ") != strings.Join(wantFiles, " ") {
		t.Fatalf("%s holds\n  %v\nwant\n  %v", got, gotFiles, wantFiles)
	}
	for _, f := range wantFiles {
		a, _ := os.ReadFile(filepath.Join(got, f))
		b, _ := os.ReadFile(filepath.Join(want, f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs from the one-process run", f)
		}
	}
	gm, err := runs.ReadManifest(got)
	if err != nil {
		t.Fatal(err)
	}
	wm, err := runs.ReadManifest(want)
	if err != nil {
		t.Fatal(err)
	}
	if !gm.Complete || !maps.Equal(gm.Files, wm.Files) {
		t.Errorf("merged manifest: complete %v, files %v; want complete, files %v", gm.Complete, gm.Files, wm.Files)
	}
	if runs.ScenarioHash(gm.Scenario) != runs.ScenarioHash(wm.Scenario) {
		t.Errorf("merged manifest holds another scenario")
	}
}

// TestMergeMatchesOneProcess runs a scenario in one process and in N shards,
// merges the shards and compares every output file byte for byte.
func TestMergeMatchesOneProcess(t *testing.T) {
	noSweep := filepath.Join(t.TempDir(), "no-sweep.yaml")
	src, err := os.ReadFile(shardScenario)
	if err != nil {
		t.Fatal(err)
	}
	before, _, _ := strings.Cut(string(src), "\nsweep:")
	if err := os.WriteFile(noSweep, []byte(before+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		scenario string
		shards   int
	}{
		{"a sweep in 1 shard", shardScenario, 1},
		{"a sweep in 3 shards", shardScenario, 3},
		{"a sweep in 7 shards", shardScenario, 7},
		{"a scenario without a sweep in 3 shards", noSweep, 3},
	}
	singles := map[string]string{}
	for _, tt := range tests {
		if singles[tt.scenario] == "" {
			singles[tt.scenario] = filepath.Join(t.TempDir(), "single")
			mustCLI(t, 0, "run", tt.scenario, "--quiet", "--out", singles[tt.scenario])
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "sharded")
			runShards(t, tt.scenario, out, tt.shards, "--workers", "2")
			stdout, _ := mustCLI(t, 0, "merge", out)
			if !strings.Contains(stdout, "merged") {
				t.Errorf("merge says:\n%s", stdout)
			}
			sameOutputs(t, out, singles[tt.scenario])
			if m, _ := runs.ReadManifest(out); m.Shards != tt.shards {
				t.Errorf("merged manifest: shards %d, want %d", m.Shards, tt.shards)
			}
			mustCLI(t, 0, "status", out)
		})
	}
}

// TestMergeTwice merges shards that hold more shards than runs, twice:
// the second merge changes nothing.
func TestMergeTwice(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	runShards(t, shardScenario, out, 9)
	if _, err := os.Stat(filepath.Join(out, "shard-0008-of-0009", runs.ManifestName)); err != nil {
		t.Fatalf("the shard without runs has no manifest: %v", err)
	}
	mustCLI(t, 0, "merge", out)
	first := map[string][]byte{}
	for _, f := range mergedFiles(t, out) {
		first[f], _ = os.ReadFile(filepath.Join(out, f))
	}
	mustCLI(t, 0, "merge", out)
	for _, f := range mergedFiles(t, out) {
		if b, _ := os.ReadFile(filepath.Join(out, f)); !bytes.Equal(b, first[f]) {
			t.Errorf("%s changed when merged again", f)
		}
	}
	if len(first) != len(mergedFiles(t, out)) {
		t.Errorf("merging again changed the files: %d, then %d", len(first), len(mergedFiles(t, out)))
	}
}

func TestMergeNamesMissingShards(t *testing.T) {
	out := t.TempDir()
	for _, i := range []string{"0/4", "1/4", "3/4"} { // 2 runs each
		mustCLI(t, 0, "run", shardScenario, "--quiet", "--shard", i, "--out", out)
	}
	stopShard(t, filepath.Join(out, "shard-0001-of-0004"))
	_, stderr := mustCLI(t, exitFailure, "merge", out)
	for _, want := range []string{"2 of 4 shards are not done", "shard 1: running or stopped, 1 of 2 runs saved", "shard 2: missing", "ARRAY=1-2 cluster/slurm/submit.sh", "shard 1 is: triad run testdata/shard-sweep.yaml --quiet --shard 1/4"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("merge stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "summary.csv")); err == nil {
		t.Errorf("merge wrote summary.csv though shards are missing")
	}
	stdout, _ := mustCLI(t, exitFailure, "status", out)
	for _, want := range []string{"0      done", "stopped            1/2", "2      missing or queued", "5 of 8 runs saved", "2 of 4 shards done, 0 queued or running, 2 stopped or missing", "run shards 1 (again)", "if shards 2 are not queued"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("status stdout lacks %q:\n%s", want, stdout)
		}
	}
	// Once they have run, status is content.
	mustCLI(t, 0, "run", shardScenario, "--quiet", "--shard", "1/4", "--out", out)
	mustCLI(t, 0, "run", shardScenario, "--quiet", "--shard", "2/4", "--out", out)
	stdout, _ = mustCLI(t, 0, "status", out)
	if !strings.Contains(stdout, "every shard is done") {
		t.Errorf("status once every shard ran:\n%s", stdout)
	}
}

func TestMergeRefusesMixedShards(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, out string)
		want  string
		code  int
	}{
		// A shard refuses to start beside shards of another run (see
		// TestShardRefusesToStartBesideAnotherRun); these folders were
		// put together by hand, which merge must refuse too.
		{"shards of different scenarios", func(t *testing.T, out string) {
			mustCLI(t, 0, "run", shardScenario, "--quiet", "--shard", "0/2", "--out", out)
			shardElsewhere(t, out, "1/2", "--set", "diffusion.k=5")
		}, "ran different scenarios", exitUsage},
		{"shards of different seeds", func(t *testing.T, out string) {
			mustCLI(t, 0, "run", shardScenario, "--quiet", "--shard", "0/2", "--out", out, "--seed", "1")
			shardElsewhere(t, out, "1/2", "--seed", "2")
		}, "ran different scenarios", exitUsage},
		{"shards of different splits", func(t *testing.T, out string) {
			runShards(t, shardScenario, out, 2)
			shardElsewhere(t, out, "0/3")
		}, "mixes shard folders of different splits (2 of a split into 2, 1 of a split into 3)", exitUsage},
		{"shards of different versions", func(t *testing.T, out string) {
			runShards(t, shardScenario, out, 2)
			editManifest(t, filepath.Join(out, "shard-0001-of-0002"), func(m *runs.Manifest) { m.Version = "0.0.1" })
		}, "by triad 0.0.1", exitUsage},
		{"a run file changed after its shard finished", func(t *testing.T, out string) {
			runShards(t, shardScenario, out, 2)
			p := filepath.Join(out, "shard-0001-of-0002", runs.RunsDir, "p000000-r000001.run")
			b, _ := os.ReadFile(p)
			b[len(b)-1] ^= 1
			os.WriteFile(p, b, 0o644)
		}, "does not match the SHA-256", exitUsage},
		{"a complete shard that lost a run file", func(t *testing.T, out string) {
			runShards(t, shardScenario, out, 2)
			os.Remove(filepath.Join(out, "shard-0000-of-0002", runs.RunsDir, "p000001-r000002.run"))
		}, "lacks 1 run file(s) (p000001-r000002.run)", exitFailure},
		{"a run file in the wrong shard", func(t *testing.T, out string) {
			runShards(t, shardScenario, out, 2)
			from := filepath.Join(out, "shard-0000-of-0002", runs.RunsDir, "p000000-r000000.run")
			b, _ := os.ReadFile(from)
			os.WriteFile(filepath.Join(out, "shard-0001-of-0002", runs.RunsDir, "p000000-r000000.run"), b, 0o644)
		}, "not a run of shard 1 of 2", exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			tt.setup(t, out)
			_, stderr := mustCLI(t, tt.code, "merge", out)
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("merge stderr lacks %q:\n%s", tt.want, stderr)
			}
			if _, err := os.Stat(filepath.Join(out, "summary.csv")); err == nil && tt.code == exitUsage {
				t.Errorf("merge wrote summary.csv from mixed shards")
			}
		})
	}
}

// editManifest changes a folder's manifest.
// shardElsewhere runs a shard of shardScenario into a folder of its own
// and moves its shard folder into out, as a user copying folders would.
func shardElsewhere(t *testing.T, out, spec string, extra ...string) {
	t.Helper()
	tmp := t.TempDir()
	mustCLI(t, 0, append([]string{"run", shardScenario, "--quiet", "--shard", spec, "--out", tmp}, extra...)...)
	entries, err := os.ReadDir(tmp)
	if err != nil || len(entries) != 1 {
		t.Fatalf("got %v %v, want one shard folder", entries, err)
	}
	if err := os.Rename(filepath.Join(tmp, entries[0].Name()), filepath.Join(out, entries[0].Name())); err != nil {
		t.Fatal(err)
	}
}

// TestShardRefusesToStartBesideAnotherRun resubmits a shard without a flag
// its sibling ran with: it must exit 2 before running, naming the
// difference, rather than finish and poison the folder.
func TestShardRefusesToStartBesideAnotherRun(t *testing.T) {
	tests := []struct {
		name  string
		first []string
		then  []string
		want  string
	}{
		{"without --replications", []string{"--shard", "0/2", "--replications", "6"}, []string{"--shard", "1/2"}, "6 replications (this shard: 4"},
		{"with another seed", []string{"--shard", "0/2"}, []string{"--shard", "1/2", "--seed", "9"}, "seed"},
		{"with another split", []string{"--shard", "0/2"}, []string{"--shard", "1/3"}, "a split into 2"},
		{"with another parameter", []string{"--shard", "0/2"}, []string{"--shard", "1/2", "--set", "diffusion.k=5"}, "other parameters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			mustCLI(t, 0, append([]string{"run", shardScenario, "--quiet", "--out", out}, tt.first...)...)
			_, stderr := mustCLI(t, exitUsage, append([]string{"run", shardScenario, "--quiet", "--out", out}, tt.then...)...)
			if !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "shard-0000-of-0002") {
				t.Errorf("stderr lacks %q and the sibling's name:\n%s", tt.want, stderr)
			}
			entries, _ := os.ReadDir(out)
			if len(entries) != 1 {
				t.Errorf("got %d folders in out, want only the first shard's", len(entries))
			}
		})
	}
}

func editManifest(t *testing.T, dir string, edit func(*runs.Manifest)) {
	t.Helper()
	m, err := runs.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	edit(&m)
	if err := runs.SaveManifest(dir, m); err != nil {
		t.Fatal(err)
	}
}

func TestMergeNeedsShards(t *testing.T) {
	out := t.TempDir()
	_, _, cfg, err := loadScenario(shardScenario, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := runs.SaveManifest(out, runs.Manifest{Program: runs.Program{Version: version}, Scenario: cfg, Seed: cfg.Seed, Replicates: cfg.Replicates, Complete: true}); err != nil {
		t.Fatal(err)
	}
	_, stderr := mustCLI(t, exitUsage, "merge", out)
	if !strings.Contains(stderr, "no shard folders") {
		t.Errorf("merge stderr:\n%s", stderr)
	}
	// Marked complete, the folder holds none of its runs: it is not.
	stdout, _ := mustCLI(t, exitFailure, "status", out)
	if !strings.Contains(stdout, "8 of 8 run files are missing") || !strings.Contains(stdout, "triad run --resume "+out) {
		t.Errorf("status of a whole run without its run files:\n%s", stdout)
	}
	editManifest(t, out, func(m *runs.Manifest) { m.Complete = false })
	stdout, _ = mustCLI(t, exitFailure, "status", out)
	if !strings.Contains(stdout, "0 of 8 runs saved") || !strings.Contains(stdout, "triad run --resume") {
		t.Errorf("status of a stopped run:\n%s", stdout)
	}
	mustCLI(t, exitUsage, "merge", filepath.Join(out, "nothing-here"))
	mustCLI(t, exitUsage, "status", filepath.Join(out, "nothing-here"))
	mustCLI(t, exitUsage, "merge")
}
