package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// packed is what an archive holds of one file.
type packed struct {
	name     string
	mode     fs.FileMode
	mod      time.Time
	uid, gid int
	owner    string
	data     string
}

// TestArchivesAreReproducible packs a stand-in binary and README twice,
// the second time after their times and permissions on disk have changed,
// into each kind of archive: the bytes must be the same, and every entry
// must have the commit's time, owner 0 and the mode it was given.
func TestArchivesAreReproducible(t *testing.T) {
	src := t.TempDir()
	bin := make([]byte, 1<<16)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range bin {
		bin[i] = byte(r.Uint32())
	}
	files := []entry{
		{Name: "triad", Src: filepath.Join(src, "triad"), Mode: 0o755},
		{Name: "README.md", Src: filepath.Join(src, "README.md"), Mode: 0o644},
	}
	contents := map[string][]byte{"triad": bin, "README.md": []byte("# triad\n")}
	for _, f := range files {
		if err := os.WriteFile(f.Src, contents[f.Name], 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// The commit's date, as git log -1 --format=%cI gives it: not in UTC.
	commit := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("", 3600))
	for _, kind := range []string{".tar.gz", ".zip"} {
		t.Run(kind, func(t *testing.T) {
			out := t.TempDir()
			first := filepath.Join(out, "first"+kind)
			if err := writeArchive(first, "triad_1.0.0_os_arch", files, commit); err != nil {
				t.Fatal(err)
			}
			later := time.Now().Add(time.Hour)
			for _, f := range files {
				if err := os.Chtimes(f.Src, later, later); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(f.Src, 0o664); err != nil {
					t.Fatal(err)
				}
			}
			second := filepath.Join(out, "second"+kind)
			if err := writeArchive(second, "triad_1.0.0_os_arch", files, commit.Add(900*time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			a, _ := os.ReadFile(first)
			b, _ := os.ReadFile(second)
			if !bytes.Equal(a, b) {
				t.Errorf("packing the same files twice gave different bytes (%d and %d)", len(a), len(b))
			}
			want := []packed{
				{"triad_1.0.0_os_arch/README.md", 0o644, commit.UTC(), 0, 0, "", "# triad\n"},
				{"triad_1.0.0_os_arch/triad", 0o755, commit.UTC(), 0, 0, "", string(bin)},
			}
			got := readArchive(t, second)
			if !slices.EqualFunc(got, want, func(g, w packed) bool { return g.mod.Equal(w.mod) && sameButTime(g, w) }) {
				for _, g := range got {
					g.data = g.data[:min(len(g.data), 16)]
					t.Logf("got %+v", g)
				}
				t.Errorf("the archive's entries are not the two files, in name order, at %v, owned by 0, with modes 644 and 755", commit.UTC())
			}
		})
	}
}

// sameButTime reports whether a and b agree in everything but their times.
func sameButTime(a, b packed) bool {
	a.mod, b.mod = time.Time{}, time.Time{}
	return a == b
}

// readArchive reads the entries of a .tar.gz or .zip file, in order.
func readArchive(t *testing.T, path string) []packed {
	t.Helper()
	var got []packed
	if filepath.Ext(path) == ".zip" {
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, packed{name: f.Name, mode: f.Mode(), mod: f.Modified.UTC(), data: string(b)})
		}
		return got
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if !gz.ModTime.IsZero() || gz.Name != "" {
		t.Errorf("the gzip header holds the time %v and the name %q, want neither", gz.ModTime, gz.Name)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, packed{name: h.Name, mode: fs.FileMode(h.Mode), mod: h.ModTime.UTC(), uid: h.Uid, gid: h.Gid, owner: h.Uname + h.Gname, data: string(b)})
	}
	return got
}

func TestReleaseNeedsTheCommitDate(t *testing.T) {
	for _, date := range []string{"", "yesterday", "2026-03-04"} {
		if err := release("1.0.0", "abc", date, filepath.Join(t.TempDir(), "dist"), []string{"linux/amd64"}); err == nil {
			t.Errorf("-date %q: no error", date)
		}
	}
}

func TestWriteArchiveRefusesTwoFilesOfOneName(t *testing.T) {
	src := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(src, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	files := []entry{{Name: "a", Src: src, Mode: 0o644}, {Name: "a", Src: src, Mode: 0o644}}
	if err := writeArchive(filepath.Join(t.TempDir(), "x.tar.gz"), "x", files, time.Now()); err == nil {
		t.Error("an archive with a twice: no error")
	}
}
