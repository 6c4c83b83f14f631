// Command dist builds the release archives of triad: a static binary
// (CGO_ENABLED=0, -trimpath, version, commit and date stamped with
// -ldflags) for each platform, packed with README.md, LICENSE and
// THIRD_PARTY_NOTICES as .tar.gz (.zip for Windows), and a SHA256SUMS file:
//
//	go run ./internal/dist -version 0.2.0 -commit $(git rev-parse HEAD) -out dist
//
// (make dist). With -notices it writes THIRD_PARTY_NOTICES instead (make
// notices): the licences of the Go standard library, of the modules linked
// into triad on the release platforms and of the assets checked into the
// project, such as uPlot. A release whose THIRD_PARTY_NOTICES is not
// current is refused.
//
// It needs nothing but the go command: archives and checksums
// are written with the standard library, so it runs on a bare CI machine.
// It uploads nothing.
package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// platforms are the release targets.
var platforms = []string{"linux/amd64", "linux/arm64", "darwin/arm64", "windows/amd64"}

// noticesName is the file of third-party notices, at the top of the
// project and of every archive.
const noticesName = "THIRD_PARTY_NOTICES"

// docs are the files of the project that every archive holds beside the
// binary.
var docs = []string{"LICENSE", "README.md", noticesName}

func main() {
	version := flag.String("version", "dev", "version to stamp")
	commit := flag.String("commit", "unknown", "commit to stamp")
	date := flag.String("date", time.Now().UTC().Format(time.RFC3339), "build date to stamp")
	out := flag.String("out", "dist", "output folder (replaced)")
	only := flag.String("platforms", strings.Join(platforms, ","), "comma-separated GOOS/GOARCH list")
	notices := flag.Bool("notices", false, "write "+noticesName+" instead of building")
	flag.Parse()
	var err error
	if *notices {
		err = writeNotices(".")
	} else {
		err = run(*version, *commit, *date, *out, strings.Split(*only, ","))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dist:", err)
		os.Exit(1)
	}
}

func run(version, commit, date, out string, targets []string) error {
	if err := checkNotices("."); err != nil {
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	ldflags := fmt.Sprintf("-s -w -X main.version=%s -X main.commit=%s -X main.buildDate=%s", version, commit, date)
	sums := map[string]string{}
	for _, p := range targets {
		goos, goarch, err := splitPlatform(p)
		if err != nil {
			return err
		}
		exe := "triad"
		if goos == "windows" {
			exe += ".exe"
		}
		tmp, err := os.MkdirTemp("", "triad-dist-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		bin := filepath.Join(tmp, exe)
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags", ldflags, "-o", bin, "./cmd/triad")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("build %s: %w", p, err)
		}
		base := fmt.Sprintf("triad_%s_%s_%s", version, goos, goarch)
		files := map[string]string{exe: bin}
		for _, doc := range docs {
			files[doc] = doc
		}
		var name string
		if goos == "windows" {
			name = base + ".zip"
			err = writeZip(filepath.Join(out, name), base, files)
		} else {
			name = base + ".tar.gz"
			err = writeTarGz(filepath.Join(out, name), base, files)
		}
		if err != nil {
			return fmt.Errorf("pack %s: %w", p, err)
		}
		if sums[name], err = sha256File(filepath.Join(out, name)); err != nil {
			return err
		}
		fmt.Printf("%s\n", filepath.Join(out, name))
	}
	names := make([]string, 0, len(sums))
	for n := range sums {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s  %s\n", sums[n], n)
	}
	return os.WriteFile(filepath.Join(out, "SHA256SUMS"), []byte(b.String()), 0o644)
}

// splitPlatform splits GOOS/GOARCH.
func splitPlatform(p string) (goos, goarch string, err error) {
	goos, goarch, ok := strings.Cut(strings.TrimSpace(p), "/")
	if !ok || goos == "" || goarch == "" {
		return "", "", fmt.Errorf("platform %q: want GOOS/GOARCH", p)
	}
	return goos, goarch, nil
}

// sortedKeys returns the archive's file names in a fixed order.
func sortedKeys(files map[string]string) []string {
	ks := make([]string, 0, len(files))
	for k := range files {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func writeTarGz(path, dir string, files map[string]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	for _, name := range sortedKeys(files) {
		src := files[name]
		st, err := os.Stat(src)
		if err != nil {
			return err
		}
		hdr := &tar.Header{Name: dir + "/" + name, Mode: int64(st.Mode().Perm()), Size: st.Size(), ModTime: st.ModTime(), Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if err := copyFile(tw, src); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return f.Close()
}

func writeZip(path, dir string, files map[string]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, name := range sortedKeys(files) {
		src := files[name]
		st, err := os.Stat(src)
		if err != nil {
			return err
		}
		hdr, err := zip.FileInfoHeader(st)
		if err != nil {
			return err
		}
		hdr.Name, hdr.Method = dir+"/"+name, zip.Deflate
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			return err
		}
		if err := copyFile(w, src); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

func copyFile(w io.Writer, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

func sha256File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
