package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/triad-sim/triad/runs"
)

func TestRunManifestRecordsThePlatform(t *testing.T) {
	out := runReportScenario(t, t.TempDir())
	m, err := runs.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := runtime.GOOS + "/" + runtime.GOARCH; m.Platform != want {
		t.Errorf("manifest platform %q, want %q", m.Platform, want)
	}
	if m.Version != version || m.Commit == "" {
		t.Errorf("manifest version %q commit %q, want %q and a commit", m.Version, m.Commit, version)
	}
}

// TestCompareWritesAManifest compares a finished folder with a scenario
// file and checks the comparison's manifest: the program, the command
// line, each set's source, scenario hashes and seeds, and the SHA-256 of
// every other file of the folder, which a rebuilt report keeps up to date.
func TestCompareWritesAManifest(t *testing.T) {
	dir := t.TempDir()
	folder := runReportScenario(t, dir)
	scen := filepath.Join(dir, "tiny.yaml")
	cmp := filepath.Join(dir, "cmp")
	args := []string{"compare", folder, scen, "--quiet", "--out", cmp}
	mustCLI(t, 0, args...)

	m, err := runs.ReadCompareManifest(cmp)
	if err != nil {
		t.Fatal(err)
	}
	if want := runtime.GOOS + "/" + runtime.GOARCH; m.Version != version || m.Platform != want || m.GoVersion != runtime.Version() {
		t.Errorf("manifest names triad %q on %q with %q, want %q on %q with %q", m.Version, m.Platform, m.GoVersion, version, want, runtime.Version())
	}
	if want := append([]string{"triad"}, args...); !slices.Equal(m.Command, want) {
		t.Errorf("command %q, want %q", m.Command, want)
	}
	run, err := runs.ReadManifest(folder)
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(scen)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(src)
	want := []runs.CompareSet{
		{Label: "out", Source: folder, Folder: true, ScenarioFileSHA256: run.ScenarioFileSHA256, ConfigSHA256: run.ConfigSHA256, Seed: run.Seed, Replicates: run.Replicates},
		{Label: "tiny", Source: scen, ScenarioFileSHA256: hex.EncodeToString(sum[:]), ConfigSHA256: run.ConfigSHA256, Seed: run.Seed, Replicates: run.Replicates},
	}
	if !slices.Equal(m.Compare, want) {
		t.Errorf("sets\n%+v\nwant\n%+v", m.Compare, want)
	}
	checkHashes := func(what string, m runs.CompareManifest) {
		t.Helper()
		var listed []string
		err := filepath.WalkDir(cmp, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || d.Name() == runs.ManifestName {
				return err
			}
			rel, _ := filepath.Rel(cmp, p)
			rel = filepath.ToSlash(rel)
			listed = append(listed, rel)
			h, err := runs.HashFile(p)
			if err != nil {
				return err
			}
			if m.Files[rel] != h {
				t.Errorf("%s: %s has SHA-256 %s, the manifest says %q", what, rel, h, m.Files[rel])
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(listed) != len(m.Files) || !slices.Contains(listed, "report.html") || !slices.Contains(listed, "compare.json") {
			t.Errorf("%s: the folder holds %q, the manifest lists %d files", what, listed, len(m.Files))
		}
	}
	checkHashes("after compare", m)

	// The report is rebuilt from what the folder holds, and the manifest
	// records it.
	if err := os.WriteFile(filepath.Join(cmp, runs.ReportName), []byte("stale"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, 0, "report", cmp)
	if m, err = runs.ReadCompareManifest(cmp); err != nil {
		t.Fatal(err)
	}
	checkHashes("after report", m)

	// A comparison holds no runs to compare or resume.
	_, stderr := mustCLI(t, 2, "compare", cmp, scen, "--quiet", "--out", filepath.Join(dir, "again"))
	if !strings.Contains(stderr, "holds a comparison") {
		t.Errorf("compare of a comparison's folder says\n%s\nwant that it holds a comparison", stderr)
	}
	if _, err := runs.ReadManifest(cmp); !errors.Is(err, runs.ErrComparison) {
		t.Errorf("ReadManifest of a comparison: %v, want ErrComparison", err)
	}
	if _, err := runs.ReadCompareManifest(folder); !errors.Is(err, runs.ErrNotOurFolder) {
		t.Errorf("ReadCompareManifest of a run: %v, want ErrNotOurFolder", err)
	}
}
