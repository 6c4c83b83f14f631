// Command dist builds the release archives of triad: a static binary
// (CGO_ENABLED=0, -trimpath, version, commit and date stamped with
// -ldflags) for each platform, packed with README.md, LICENSE and
// THIRD_PARTY_NOTICES as .tar.gz (.zip for Windows), a CycloneDX bill of
// materials beside each archive (NAME.cdx.json, from the module
// information the go command records in the binary), and a SHA256SUMS file
// listing them all:
//
//	go run ./internal/dist -version 0.2.0 -commit $(git rev-parse HEAD) -date $(git log -1 --format=%cI) -out dist
//
// (make dist). The archives are reproducible: -date, the commit's date, is
// both the binaries' build date and the time of every file in the
// archives and the time of the bills of materials; the archives' entries
// are sorted and owned by user and group 0; so two runs on one commit with
// one Go toolchain give the same SHA256SUMS.
//
// With -notices it writes THIRD_PARTY_NOTICES instead (make notices): the
// licences of the Go standard library, of the modules linked into triad on
// the release platforms and of the assets checked into the project, such
// as uPlot. A release whose THIRD_PARTY_NOTICES is not current is refused.
//
// It needs nothing but the go command: archives, checksums and the bills of
// materials are written with the standard library, so it runs on a bare CI
// machine. It uploads nothing.
package main

import (
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
	date := flag.String("date", "", "the commit's date, RFC 3339 (git log -1 --format=%cI): the binaries' build date and the time of every archived file")
	out := flag.String("out", "dist", "output folder (replaced)")
	only := flag.String("platforms", strings.Join(platforms, ","), "comma-separated GOOS/GOARCH list")
	notices := flag.Bool("notices", false, "write "+noticesName+" instead of building")
	flag.Parse()
	var err error
	if *notices {
		err = writeNotices(".")
	} else {
		err = release(*version, *commit, *date, *out, strings.Split(*only, ","))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dist:", err)
		os.Exit(1)
	}
}

// release builds the archives of the targets into out, from the project in
// the current folder.
func release(version, commit, date, out string, targets []string) error {
	if date == "" {
		return errors.New("-date is required: the commit's date (git log -1 --format=%cI)")
	}
	when, err := time.Parse(time.RFC3339, date)
	if err != nil {
		return fmt.Errorf("-date: %w", err)
	}
	when = when.UTC().Truncate(time.Second)
	if err := checkNotices("."); err != nil {
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "triad-dist-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	ldflags := fmt.Sprintf("-s -w -X main.version=%s -X main.commit=%s -X main.buildDate=%s", version, commit, when.Format(time.RFC3339))
	extra, err := vendoredComponents(".")
	if err != nil {
		return err
	}
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
		bin := filepath.Join(tmp, goos+"_"+goarch, exe)
		if err := build(".", goos, goarch, ldflags, bin); err != nil {
			return fmt.Errorf("build %s: %w", p, err)
		}
		base := fmt.Sprintf("triad_%s_%s_%s", version, goos, goarch)
		files := []entry{{Name: exe, Src: bin, Mode: 0o755}}
		for _, d := range docs {
			files = append(files, entry{Name: d, Src: d, Mode: 0o644})
		}
		name := base + ".tar.gz"
		if goos == "windows" {
			name = base + ".zip"
		}
		if err := writeArchive(filepath.Join(out, name), base, files, when); err != nil {
			return fmt.Errorf("pack %s: %w", p, err)
		}
		bom, err := binarySBOM(bin, version, when, extra)
		if err != nil {
			return fmt.Errorf("bill of materials of %s: %w", p, err)
		}
		bomName := base + ".cdx.json"
		if err := os.WriteFile(filepath.Join(out, bomName), bom, 0o644); err != nil {
			return err
		}
		for _, n := range []string{name, bomName} {
			if sums[n], err = sha256File(filepath.Join(out, n)); err != nil {
				return err
			}
			fmt.Println(filepath.Join(out, n))
		}
	}
	var b strings.Builder
	for _, n := range slices.Sorted(maps.Keys(sums)) {
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

// build builds ./cmd/triad of the project in root for goos/goarch into bin,
// as a release is built: static, with -trimpath and ldflags.
func build(root, goos, goarch, ldflags, bin string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", ldflags, "-o", bin, "./cmd/triad")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}

// binarySBOM returns the bill of materials of the binary bin, read from the
// module information the go command records in it, with the components in
// extra that the binary holds besides Go modules.
func binarySBOM(bin, version string, when time.Time, extra []component) ([]byte, error) {
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		return nil, err
	}
	sum, err := sha256File(bin)
	if err != nil {
		return nil, err
	}
	return sbom(info, version, sum, when, extra)
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
