//go:build unix

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// The table of TestDamagedFilesAreRefused: every command that reads files
// other than scenarios, every kind of file it reads, and every way the
// file can be damaged. A command must refuse each with exit code 2 within
// a second, naming the file, without a panic; on the undamaged files it
// succeeds, so that the 2 comes from the damage.

// fileKind is a kind of file triad reads, at its place in a cell of the
// table (see guardedFolders).
type fileKind struct {
	name, rel string
	// max is the cap on the file; edit makes it inconsistent while it
	// stays whole (a valid checksum, the SHA-256 its manifest lists); flip
	// is the byte whose lowest bit the bit-flip changes (-1: the middle).
	max  func(cell string) int64
	edit func(t *testing.T, cell, path string)
	flip func(b []byte) int
}

// guardedCommand is a command of the table, with the kinds of files it
// reads.
type guardedCommand struct {
	name  string
	args  func(cell string) []string
	kinds []string
}

// corruption is a way to damage a file of kind k at path in cell.
type corruption struct {
	name string
	do   func(t *testing.T, k fileKind, cell, path string)
}

// The places of the files in a cell of the table.
var (
	guardedRun     = "run"
	guardedSharded = "sharded"
	guardedShard   = filepath.Join(guardedSharded, "shard-0001-of-0002")
)

func guardedKinds() map[string]fileKind {
	cfgOf := func(cell string) *sim.Config {
		m, err := runs.ReadManifest(filepath.Join(cell, guardedRun))
		if err != nil {
			panic(err)
		}
		return &m.Scenario
	}
	fixed := func(n int64) func(string) int64 { return func(string) int64 { return n } }
	digitAfter := func(key string) func(b []byte) int {
		return func(b []byte) int {
			i := bytes.Index(b, []byte(key))
			if i < 0 {
				panic("no " + key)
			}
			return i + len(key)
		}
	}
	return map[string]fileKind{
		"manifest": {"manifest", filepath.Join(guardedRun, runs.ManifestName), fixed(runs.MaxManifestSize),
			func(t *testing.T, cell, path string) { changeScenario(t, filepath.Dir(path)) }, digitAfter(`"steps": `)},
		"run file": {"run file", filepath.Join(guardedRun, guardedRunFile), func(cell string) int64 { return runs.RunFileCap(cfgOf(cell)) },
			func(t *testing.T, cell, path string) { negativeRun(t, filepath.Join(cell, guardedRun), "") }, nil},
		"baseline": {"baseline", "base.json", fixed(output.MaxBaselineSize), movedMeans, digitAfter(`"mean": `)},
		"shard manifest": {"shard manifest", filepath.Join(guardedShard, runs.ManifestName), fixed(runs.MaxManifestSize),
			func(t *testing.T, cell, path string) { changeScenario(t, filepath.Dir(path)) }, digitAfter(`"steps": `)},
		"shard run file": {"shard run file", filepath.Join(guardedShard, guardedRunFile), func(cell string) int64 { return runs.RunFileCap(cfgOf(cell)) },
			func(t *testing.T, cell, path string) {
				negativeRun(t, filepath.Join(cell, guardedShard), path)
			}, nil},
		"summary": {"summary", filepath.Join(guardedRun, runs.SummaryName), func(cell string) int64 { return runs.ResultCap(cfgOf(cell)) },
			func(t *testing.T, cell, path string) {
				b := readBytes(t, path)
				i := bytes.Index(b, []byte(`"mean": `)) + len(`"mean": `)
				relist(t, filepath.Join(cell, guardedRun), runs.SummaryName, append(append(bytes.Clone(b[:i]), '-'), b[i:]...))
			}, nil},
		"chart": {"chart", filepath.Join(guardedRun, runs.PlotsDir, "adoption.svg"), func(cell string) int64 { return runs.ResultCap(cfgOf(cell)) },
			func(t *testing.T, cell, path string) {
				relist(t, filepath.Join(cell, guardedRun), runs.PlotsDir+"/adoption.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`))
			}, nil},
		"targets": {"targets", "targets.yaml", fixed(scenarios.MaxSize),
			func(t *testing.T, cell, path string) {
				writeBytes(t, path, bytes.Replace(readBytes(t, path), []byte("uncertainty: 0.1"), []byte("uncertainty: -0.1"), 1))
			},
			func(b []byte) int { return bytes.Index(b, []byte("metric:")) + len("metric") }},
	}
}

func guardedCommands() []guardedCommand {
	in := func(cell string, rel ...string) string { return filepath.Join(append([]string{cell}, rel...)...) }
	whole := []string{"manifest", "run file"}
	return []guardedCommand{
		{"check", func(c string) []string {
			return []string{"check", in(c, guardedRun), "--baseline", in(c, "base.json"), "--quiet"}
		}, []string{"manifest", "run file", "baseline"}},
		{"compare", func(c string) []string {
			return []string{"compare", in(c, guardedRun), in(c, guardedRun), "--quiet", "--out", in(c, "cmp")}
		}, whole},
		{"baseline", func(c string) []string { return []string{"baseline", in(c, guardedRun), "--to", in(c, "new.json")} }, whole},
		{"report", func(c string) []string { return []string{"report", in(c, guardedRun)} }, []string{"manifest", "run file", "summary", "chart"}},
		{"status", func(c string) []string { return []string{"status", in(c, guardedRun)} }, whole},
		{"status of shards", func(c string) []string { return []string{"status", in(c, guardedSharded)} }, []string{"shard manifest", "shard run file"}},
		{"run --resume", func(c string) []string { return []string{"run", "--resume", in(c, guardedRun), "--quiet"} }, whole},
		{"merge", func(c string) []string { return []string{"merge", in(c, guardedSharded)} }, []string{"shard manifest", "shard run file"}},
		{"fit", func(c string) []string {
			return []string{"fit", smallScenario, "--targets", in(c, "targets.yaml"), "--out", in(c, "fit"),
				"--particles", "4", "--generations", "1", "--replications", "1", "--quiet"}
		}, []string{"targets"}},
	}
}

func guardedCorruptions() []corruption {
	return []corruption{
		{"a named pipe", func(t *testing.T, k fileKind, cell, path string) {
			os.Remove(path)
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"a link to /dev/zero", func(t *testing.T, k fileKind, cell, path string) {
			os.Remove(path)
			if err := os.Symlink("/dev/zero", path); err != nil {
				t.Fatal(err)
			}
		}},
		{"one byte over the cap", func(t *testing.T, k fileKind, cell, path string) {
			// A sparse file: as large as the cap says, on no disk space.
			os.Remove(path)
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := f.Truncate(k.max(cell) + 1); err != nil {
				t.Fatal(err)
			}
		}},
		{"truncated", func(t *testing.T, k fileKind, cell, path string) {
			b := readBytes(t, path)
			writeBytes(t, path, b[:len(b)/2])
		}},
		{"one bit flipped", func(t *testing.T, k fileKind, cell, path string) {
			b := readBytes(t, path)
			i := len(b) / 2
			if k.flip != nil {
				i = k.flip(b)
			}
			b[i] ^= 1
			writeBytes(t, path, b)
		}},
		{"whole but inconsistent", func(t *testing.T, k fileKind, cell, path string) { k.edit(t, cell, path) }},
	}
}

// TestDamagedFilesAreRefused runs every command of the table on every
// kind of file it reads, damaged in every way of the table, in-process on
// a copy of a small finished run folder, its baseline, a sharded run and
// a targets file: each must exit 2 within a second, naming the file,
// with no panic or stack trace (a command that does not return within ten
// seconds fails as a hang).
func TestDamagedFilesAreRefused(t *testing.T) {
	base := guardedFolders(t)
	kinds := guardedKinds()
	cells, worst := 0, time.Duration(0)
	for _, c := range guardedCommands() {
		t.Run(c.name+"/undamaged", func(t *testing.T) {
			cell := copyCell(t, base)
			code, _, stdout, stderr := runGuarded(t, c.args(cell), "")
			if code != 0 {
				t.Fatalf("exit %d on undamaged files, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
		})
		for _, kn := range c.kinds {
			k := kinds[kn]
			for _, damage := range guardedCorruptions() {
				cells++
				t.Run(c.name+"/"+k.name+"/"+damage.name, func(t *testing.T) {
					cell := copyCell(t, base)
					path := filepath.Join(cell, k.rel)
					damage.do(t, k, cell, path)
					code, took, stdout, stderr := runGuarded(t, c.args(cell), path)
					worst = max(worst, took)
					out := stdout + stderr
					switch {
					case code != exitUsage:
						t.Errorf("exit %d, want %d", code, exitUsage)
					case !strings.Contains(stderr, path):
						t.Errorf("stderr does not name %s", path)
					case took > time.Second:
						t.Errorf("took %v, want at most a second", took.Round(time.Millisecond))
					}
					for _, bad := range []string{"panic", "goroutine ", "internal error"} {
						if strings.Contains(out, bad) {
							t.Errorf("the output holds %q", bad)
						}
					}
					if t.Failed() {
						t.Logf("triad %s\nstdout:\n%s\nstderr:\n%s", strings.Join(c.args(cell), " "), stdout, stderr)
					}
				})
			}
		}
	}
	t.Logf("%d damaged cells, the slowest refused in %v", cells, worst.Round(time.Millisecond))
}

// guardedFolders makes, once for the table, a folder holding a finished
// run of guardedScenario with its baseline, the same run in two shards,
// and a targets file for a fit of the fit tests' scenario.
func guardedFolders(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	mustCLI(t, 0, "run", guardedScenario, "--quiet", "--out", filepath.Join(dir, guardedRun))
	mustCLI(t, 0, "baseline", filepath.Join(dir, guardedRun), "--to", filepath.Join(dir, "base.json"))
	runShards(t, guardedScenario, filepath.Join(dir, guardedSharded), 2)
	writeBytes(t, filepath.Join(dir, "targets.yaml"), []byte("targets:\n"+
		"  - {metric: commercialized_share, region: south, value: 0.5, uncertainty: 0.1, source: a test of damaged files}\n"+
		"params:\n  - {path: diffusion.q, low: 0.1, high: 0.5}\n"))
	return dir
}

// copyCell copies the folders of base into a new folder for one cell of
// the table: folders are made anew, files are hard links (triad replaces
// a file whole, by renaming a new one over it, and never writes into it,
// so the cells cannot change base or one another).
func copyCell(t *testing.T, base string) string {
	t.Helper()
	cell := t.TempDir()
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(base, p)
		to := filepath.Join(cell, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		return os.Link(p, to)
	})
	if err != nil {
		t.Fatal(err)
	}
	return cell
}

// runGuarded runs triad with args in-process and returns its exit code,
// how long it took and its output. A command that has not returned after
// ten seconds fails the test as a hang; if it waits on the named pipe at
// fifo, the pipe is opened for writing to set it free.
func runGuarded(t *testing.T, args []string, fifo string) (code int, took time.Duration, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	start := time.Now()
	go func() { done <- run(context.Background(), args, &out, &errb) }()
	select {
	case code = <-done:
	case <-time.After(10 * time.Second):
		if st, err := os.Lstat(fifo); err == nil && st.Mode()&fs.ModeNamedPipe != 0 {
			if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				f.Close()
			}
		}
		t.Fatalf("triad %s has not returned after 10 s: it hangs", strings.Join(args, " "))
	}
	return code, time.Since(start), out.String(), errb.String()
}

// changeScenario gives the manifest of dir a scenario of one more step,
// with the config_sha256 of that scenario: a manifest that holds together,
// for runs of another scenario.
func changeScenario(t *testing.T, dir string) {
	t.Helper()
	m, err := runs.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	m.Scenario.Steps++
	m.ConfigSHA256 = output.ConfigHash(m.Scenario)
	if err := runs.SaveManifest(dir, m); err != nil {
		t.Fatal(err)
	}
}

// negativeRun rewrites the run file of task 1 in dir, whose manifest says
// which run it holds, with −2.7·10¹¹ discoveries in its first row and a
// valid checksum; listed, when not "", is the file's path, whose SHA-256
// the manifest (a shard's) then lists anew.
func negativeRun(t *testing.T, dir, listed string) {
	t.Helper()
	m, err := runs.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := m.Scenario
	task := sim.Task{Point: 0, Replicate: 1}
	var buf bytes.Buffer
	b := readBytes(t, filepath.Join(dir, guardedRunFile))
	run, err := runs.ReadRun(bytes.NewReader(b), runs.RunHeader{Scenario: runs.ScenarioHash(cfg), Point: 0, Replicate: 1, Seed: cfg.RunSeed(task)})
	if err != nil {
		t.Fatal(err)
	}
	run.Rows[0].Discovered = -270_000_000_000
	if err := runs.WriteRun(&buf, runs.ScenarioHash(cfg), run); err != nil {
		t.Fatal(err)
	}
	if listed == "" {
		writeBytes(t, filepath.Join(dir, guardedRunFile), buf.Bytes())
		return
	}
	relist(t, dir, filepath.ToSlash(guardedRunFile), buf.Bytes())
}

// relist writes b as the file rel (a slash path) of dir and lists its
// SHA-256 in the manifest of dir: the file is whole as the manifest says,
// and only its contents can tell it is not triad's.
func relist(t *testing.T, dir, rel string, b []byte) {
	t.Helper()
	writeBytes(t, filepath.Join(dir, filepath.FromSlash(rel)), b)
	m, err := runs.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	m.Files[rel] = hex.EncodeToString(sum[:])
	if err := runs.SaveManifest(dir, m); err != nil {
		t.Fatal(err)
	}
}

// movedMeans rewrites the baseline at path as the hardening issue found
// baselines that pass anything: every mean moved to 3·mean + 5, with the
// sd at the largest that n values with that mean can have (mean·√n).
func movedMeans(t *testing.T, cell, path string) {
	t.Helper()
	b, err := output.ReadBaseline(bytes.NewReader(readBytes(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	for i := range b.Metrics {
		m := &b.Metrics[i]
		m.Mean = 3*m.Mean + 5
		m.SD = m.Mean * math.Sqrt(float64(m.N))
	}
	var buf bytes.Buffer
	if err := output.WriteBaseline(&buf, b); err != nil {
		t.Fatal(err)
	}
	writeBytes(t, path, buf.Bytes())
}
