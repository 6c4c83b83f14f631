package runs

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeTree makes the files of tree (path → content) under dir.
func writeTree(t *testing.T, dir string, tree map[string]string) {
	t.Helper()
	for p, content := range tree {
		full := filepath.Join(dir, p)
		if strings.HasSuffix(p, "/") {
			if err := os.MkdirAll(full, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const testManifest = `{"version": "test", "complete": true, "files": {"notes/extra.csv": "x"}}`

func TestOwnedFolder(t *testing.T) {
	for _, tc := range []struct {
		name string
		tree map[string]string
		ours bool
	}{
		{"a finished run", map[string]string{"manifest.json": testManifest, "summary.csv": "", "plots/adoption.png": "", "report.html": ""}, true},
		{"a stopped run", map[string]string{"manifest.json": `{"version": "x", "complete": false}`, "runs/p000000-r000001.run": "", "runs/.tmp-123": ""}, true},
		{"a file the manifest lists", map[string]string{"manifest.json": testManifest, "notes/extra.csv": ""}, true},
		{"a comparison", map[string]string{"compare.json": "{}", "compare.csv": "", "plots/compare.svg": "", "report.html": ""}, true},
		{"a folder of shards", map[string]string{"shard-0000-of-0002/manifest.json": testManifest, "shard-0001-of-0002/runs/": ""}, true},
		{"a merged run with its Slurm logs", map[string]string{"manifest.json": testManifest, "summary.csv": "", "shard-0000-of-0001/manifest.json": testManifest,
			"logs/triad-shard-4711_0.out": "", "logs/triad-merge-4712.out": "", "logs/again-0.err": "", "logs/.x.log.tmp-1": ""}, true},
		{"shards with their Slurm logs", map[string]string{"shard-0000-of-0002/runs/": "", "logs/triad-shard-4711_0.out": ""}, true},
		{"a thesis in the logs", map[string]string{"manifest.json": testManifest, "logs/ch1.tex": "x"}, false},
		{"a folder in the logs", map[string]string{"manifest.json": testManifest, "logs/old/triad-shard-1_0.out": ""}, false},
		{"logs alone", map[string]string{"logs/app.log": "mine"}, false},
		{"logs beside a comparison", map[string]string{"compare.json": "{}", "logs/app.log": "mine"}, true},
		{"logs beside a fit", map[string]string{"fit.json": "{}", "logs/fit-4711.out": "mine"}, true},
		{"hidden files beside a run", map[string]string{"manifest.json": testManifest, ".DS_Store": "", "plots/.DS_Store": "", "runs/.DS_Store": "", "logs/.DS_Store": "", "logs/app.log": ""}, true},
		{"a hidden folder beside a comparison", map[string]string{"compare.json": "{}", ".git/HEAD": "ref", ".ipynb_checkpoints/": ""}, true},
		{"a hidden folder in a fit's plots", map[string]string{"fit.json": "{}", "plots/.cache/a.png": ""}, true},
		{"charts of the user's beside a fit's", map[string]string{"fit.json": "{}", "plots/posterior-1.png": "", "plots/mine.svg": "mine"}, true},
		{"hidden files alone", map[string]string{".DS_Store": "", ".git/HEAD": "ref"}, false},
		{"a thesis beside a run", map[string]string{"manifest.json": testManifest, "thesis/ch1.tex": "x"}, false},
		{"a thesis alone", map[string]string{"thesis/ch1.tex": "x"}, false},
		{"a manifest that is not ours", map[string]string{"manifest.json": `{"name": "my web app"}`}, false},
		{"a manifest that is not JSON", map[string]string{"manifest.json": "CACHE MANIFEST"}, false},
		{"a file hidden in runs", map[string]string{"manifest.json": testManifest, "runs/ch1.tex": "x"}, false},
		{"a file hidden in plots", map[string]string{"manifest.json": testManifest, "plots/ch1.tex": "x"}, false},
		{"a file hidden in a shard", map[string]string{"shard-0000-of-0001/manifest.json": testManifest, "shard-0000-of-0001/ch1.tex": "x"}, false},
		{"a comparison with a thesis", map[string]string{"compare.json": "{}", "ch1.tex": "x"}, false},
		{"a summary without a manifest", map[string]string{"summary.csv": "mine"}, false},
		{"a fit", map[string]string{"fit.json": "{}", "fit.csv": "", "scenario.yaml": "", "plots/posterior-1.png": ""}, true},
		{"a fit with a thesis", map[string]string{"fit.json": "{}", "ch1.tex": "x"}, false},
		{"a file hidden in a fit's plots", map[string]string{"fit.json": "{}", "plots/ch1.tex": "x"}, false},
		{"a fitted scenario without its fit", map[string]string{"scenario.yaml": "mine"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, tc.tree)
			err := Owned(dir, "")
			if got := err == nil; got != tc.ours {
				t.Fatalf("Owned: %v, want ours=%v", err, tc.ours)
			}
		})
	}
}

func TestOwnedFolderRefusesTheRootAndHome(t *testing.T) {
	if err := Owned("/", ""); err == nil || !strings.Contains(err.Error(), "root") || !errors.Is(err, ErrNotOurFolder) {
		t.Errorf("Owned(/) = %v, want a refusal naming the root", err)
	}
	home := t.TempDir()
	writeTree(t, home, map[string]string{"manifest.json": testManifest})
	if err := Owned(home, ""); err != nil {
		t.Errorf("Owned(a run's folder) = %v, want nil", err)
	}
	if err := Owned(home, home); err == nil || !strings.Contains(err.Error(), "home") {
		t.Errorf("Owned(home) = %v, want a refusal naming the home folder", err)
	}
	t.Chdir(filepath.Join(home))
	if err := Owned(".", ""); err == nil {
		t.Error("Owned(.) accepted the current folder")
	}
}

func TestPrepareFit(t *testing.T) {
	fit := map[string]string{"fit.json": "{}", "fit.csv": "", "posterior.csv": "", "scenario.yaml": "", "plots/posterior-1.png": ""}
	for _, tc := range []struct {
		name  string
		tree  map[string]string
		force bool
		want  error // nil: the folder is taken, emptied of the fit's files
	}{
		{"no folder", nil, false, nil},
		{"an empty folder", map[string]string{"./": ""}, false, nil},
		{"job logs alone", map[string]string{"logs/triad-fit-12_0.out": "x"}, false, nil},
		{"a fit without --force", fit, false, ErrExists},
		{"a fit with --force", fit, true, nil},
		{"a thesis beside a fit", map[string]string{"fit.json": "{}", "ch1.tex": "x"}, true, ErrNotOurFolder},
		{"a thesis in a fit's plots", map[string]string{"fit.json": "{}", "plots/ch1.tex": "x"}, true, ErrNotOurFolder},
		{"an unfinished fit with its proposals", map[string]string{"fit-state.json": "{}", "proposals/g0001-p0000000.bin": "", "proposals/g0002-p0000013.bin": ""}, true, nil},
		{"a thesis in a fit's proposals", map[string]string{"fit-state.json": "{}", "proposals/g0001-p0000000.bin": "", "proposals/ch1.tex": "x"}, true, ErrNotOurFolder},
		{"a run's folder", map[string]string{"manifest.json": testManifest, "summary.csv": "", "plots/adoption.png": ""}, true, ErrNotOurFolder},
		{"a folder of someone else", map[string]string{"ch1.tex": "x"}, true, ErrNotOurFolder},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if tc.tree != nil {
				writeTree(t, dir, tc.tree)
			}
			before := entriesOf(t, dir)
			err := PrepareFit(dir, "", tc.force)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("PrepareFit: %v, want %v", err, tc.want)
			}
			after := entriesOf(t, dir)
			if tc.want != nil {
				if strings.Join(after, " ") != strings.Join(before, " ") {
					t.Errorf("a refused folder changed: %v, was %v", after, before)
				}
				return
			}
			// Job logs stay, as they do when a fit is replaced.
			after = slices.DeleteFunc(after, func(e string) bool { return e == "logs" || strings.HasPrefix(e, "logs/") })
			if len(after) != 0 {
				t.Errorf("the folder a fit takes still holds %v", after)
			}
		})
	}
}

func TestPrepareFitRefusesTheCurrentFolder(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"fit.json": "{}", "plots/posterior-1.png": ""})
	t.Chdir(dir)
	if err := PrepareFit(".", "", true); !errors.Is(err, ErrNotOurFolder) {
		t.Fatalf("PrepareFit(.): %v, want ErrNotOurFolder", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "plots", "posterior-1.png")); err != nil {
		t.Errorf("the current folder lost its charts: %v", err)
	}
}

// entriesOf lists every path under dir, relative to it (none when dir does
// not exist).
func entriesOf(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != dir {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

// TestForceKeepsWhatTriadDidNotWrite is the other data-loss case of the
// hardening issue: replacing a run's, a comparison's or a fit's folder
// (Prepare and PrepareFit with force) removes every file triad wrote
// there and keeps the user's own charts in plots/, the job logs in logs/
// and hidden files and folders, byte for byte; Kept names what stayed.
func TestForceKeepsWhatTriadDidNotWrite(t *testing.T) {
	runManifest := `{"version": "test", "complete": true, "files": {"summary.csv": "x", "sweep-diff.csv": "x", "report.html": "x", "plots/adoption.png": "x", "plots/adoption.svg": "x"}}`
	kinds := []struct {
		name    string
		tree    map[string]string // what triad wrote
		prepare func(dir string) error
		after   []string // what triad leaves of its own
	}{
		{"a run's folder", map[string]string{"manifest.json": runManifest, "summary.csv": "", "sweep-diff.csv": "", "report.html": "",
			"plots/adoption.png": "", "plots/adoption.svg": "", "runs/p000000-r000000.run": "", "runs/.p000000-r000001.run.tmp-1": ""},
			func(dir string) error { return Prepare(dir, "", true) }, []string{RunsDir}},
		{"a comparison's folder", map[string]string{"compare.json": "{}", "compare.csv": "", "report.html": "",
			"plots/compare.png": "", "plots/compare.svg": "", "plots/compare-diff.svg": "", "plots/compare-effects.png": ""},
			func(dir string) error { return Prepare(dir, "", true) }, []string{RunsDir}},
		{"a fit's folder", map[string]string{"fit.json": "{}", "fit.csv": "", "targets.csv": "", "posterior.csv": "", "generations.csv": "",
			"scenario.yaml": "", "plots/posterior-1.png": "", "plots/posterior-1.svg": "", "plots/posterior-2.png": ""},
			func(dir string) error { return PrepareFit(dir, "", true) }, nil},
	}
	cases := []struct {
		name string
		tree map[string]string // the user's
		kept []string          // what Kept says
	}{
		{"a chart of the user's as PNG", map[string]string{"plots/mine.png": "my chart"}, []string{"plots/mine.png"}},
		{"a chart of the user's as SVG", map[string]string{"plots/mine.svg": "<svg/>"}, []string{"plots/mine.svg"}},
		{"a log of the user's", map[string]string{"logs/app.log": "my log"}, []string{"logs/"}},
		{"a hidden folder and its contents", map[string]string{".notes/2024/ch1.tex": "chapter one", ".notes/todo": "more"}, []string{".notes/"}},
		{"hidden files", map[string]string{".DS_Store": "finder", "plots/.DS_Store": "finder too"}, []string{".DS_Store", "plots/.DS_Store"}},
	}
	for _, k := range kinds {
		for _, c := range cases {
			t.Run(k.name+" with "+c.name, func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "out")
				writeTree(t, dir, k.tree)
				writeTree(t, dir, c.tree)
				if err := k.prepare(dir); err != nil {
					t.Fatalf("replacing the folder: %v", err)
				}
				for p, content := range c.tree {
					if b, err := os.ReadFile(filepath.Join(dir, p)); err != nil || string(b) != content {
						t.Errorf("the user's %s is gone or changed: %q, %v", p, b, err)
					}
				}
				// Left: the user's files, the folders that hold them and
				// what the next run starts with.
				want := slices.Clone(k.after)
				for p := range c.tree {
					for ; p != "."; p = filepath.Dir(p) {
						want = append(want, filepath.FromSlash(p))
					}
				}
				slices.Sort(want)
				want = slices.Compact(want)
				if got := entriesOf(t, dir); !slices.Equal(got, want) {
					t.Errorf("the folder holds %q, want %q", got, want)
				}
				if got, err := Kept(dir); err != nil || !slices.Equal(got, c.kept) {
					t.Errorf("Kept = %q, %v; want %q", got, err, c.kept)
				}
			})
		}
	}
}

// TestForceReplacesAShardFolderOfOurs: the shard folders in a folder that
// is replaced go with the files triad wrote in them, and a shard folder
// that holds hidden files of the user's stays with those only.
func TestForceReplacesAShardFolderOfOurs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	writeTree(t, dir, map[string]string{
		"shard-0000-of-0002/manifest.json": testManifest, "shard-0000-of-0002/runs/p000000-r000000.run": "", "shard-0000-of-0002/.lock": "",
		"shard-0001-of-0002/manifest.json": testManifest, "shard-0001-of-0002/.DS_Store": "finder", "logs/triad-shard-1_0.out": "log",
	})
	if err := Prepare(dir, "", true); err != nil {
		t.Fatal(err)
	}
	want := []string{"logs", filepath.Join("logs", "triad-shard-1_0.out"), RunsDir, "shard-0001-of-0002", filepath.Join("shard-0001-of-0002", ".DS_Store")}
	if got := entriesOf(t, dir); !slices.Equal(got, want) {
		t.Errorf("the folder holds %q, want %q", got, want)
	}
	if got, _ := Kept(dir); !slices.Equal(got, []string{"logs/", "shard-0001-of-0002/.DS_Store"}) {
		t.Errorf("Kept = %q", got)
	}
}

// TestPrepareFile: a single file that triad writes whole replaces nothing,
// an empty file, or with force a file of its kind that triad wrote; never
// anything else.
func TestPrepareFile(t *testing.T) {
	ours := func(r io.Reader) bool {
		b, err := io.ReadAll(r)
		return err == nil && string(b) == "a report"
	}
	for _, tc := range []struct {
		name    string
		content *string // nil: no file
		force   bool
		want    error
	}{
		{"no file", nil, false, nil},
		{"an empty file", ptr(""), false, nil},
		{"a report of triad's without --force", ptr("a report"), false, ErrFileExists},
		{"a report of triad's with --force", ptr("a report"), true, nil},
		{"a scenario without --force", ptr("name: mine\n"), false, ErrNotOurFile},
		{"a scenario with --force", ptr("name: mine\n"), true, ErrNotOurFile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out.md")
			if tc.content != nil {
				if err := os.WriteFile(path, []byte(*tc.content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := PrepareFile(path, "a report", tc.force, ours)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("PrepareFile: %v, want %v", err, tc.want)
			}
			if err != nil && !strings.Contains(err.Error(), path) {
				t.Errorf("the error %q does not name the file", err)
			}
			if a, ok := errors.AsType[*Advice](err); errors.Is(err, ErrNotOurFile) && (!ok || a.Fix == FixReplaceFile) {
				t.Errorf("the error %q does not advise another file for a file that is not triad's", err)
			}
			if tc.content != nil {
				if b, err := os.ReadFile(path); err != nil || string(b) != *tc.content {
					t.Errorf("the file changed: %q, %v", b, err)
				}
			}
		})
	}
	t.Run("a folder or a link", func(t *testing.T) {
		dir := t.TempDir()
		report := filepath.Join(dir, "report.md")
		if err := os.WriteFile(report, []byte("a report"), 0o644); err != nil {
			t.Fatal(err)
		}
		link := filepath.Join(dir, "link.md")
		if err := os.Symlink(report, link); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		for _, p := range []string{dir, link} {
			if err := PrepareFile(p, "a report", true, ours); !errors.Is(err, ErrNotOurFile) {
				t.Errorf("PrepareFile(%s): %v, want ErrNotOurFile", p, err)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

// TestKeptNote checks the note on what a replaced folder kept: nothing
// to say of a folder that kept nothing or is not there, every entry up to
// five, the first five and a count beyond.
func TestKeptNote(t *testing.T) {
	for _, c := range []struct {
		name string
		tree map[string]string
		want string
	}{
		{"nothing kept", map[string]string{"manifest.json": testManifest}, ""},
		{"two kept", map[string]string{"manifest.json": testManifest, ".notes": "n", "logs/a.out": "log"},
			"kept in DIR what triad did not write: .notes, logs/"},
		{"seven kept", map[string]string{".a": "", ".b": "", ".c": "", ".d": "", ".e": "", ".f": "", ".g": ""},
			"kept in DIR what triad did not write: .a, .b, .c, .d, .e, and 2 more"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			writeTree(t, dir, c.tree)
			if got, want := KeptNote(dir), strings.ReplaceAll(c.want, "DIR", dir); got != want {
				t.Errorf("KeptNote = %q, want %q", got, want)
			}
		})
	}
	if got := KeptNote(filepath.Join(t.TempDir(), "none")); got != "" {
		t.Errorf("KeptNote of a missing folder = %q, want none", got)
	}
}
