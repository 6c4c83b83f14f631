package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestVersionPrintsTheBuildFacts(t *testing.T) {
	oldV, oldC, oldD := version, commit, buildDate
	t.Cleanup(func() { version, commit, buildDate = oldV, oldC, oldD })
	version, commit, buildDate = "1.2.3", "0123abc", "2026-12-02T00:00:00Z"
	for _, args := range [][]string{{"version"}, {"--version"}} {
		out, _ := mustCLI(t, 0, args...)
		for _, want := range []string{"triad 1.2.3", "commit:     0123abc", "built:      2026-12-02T00:00:00Z",
			"go:         " + runtime.Version(), "platform:   " + runtime.GOOS + "/" + runtime.GOARCH} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: output lacks %q:\n%s", args, want, out)
			}
		}
	}
	mustCLI(t, 2, "version", "extra")
}

// TestReleaseBuildIsStatic builds triad as make build does (CGO_ENABLED=0,
// -trimpath, the version stamped with -ldflags) and checks that the binary
// reports the stamped facts and, on Linux, has no dynamic section or
// interpreter: it runs on any distribution, old glibc or none.
func TestReleaseBuildIsStatic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "triad")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-X main.version=9.8.7 -X main.commit=feedbeef -X main.buildDate=2026-01-02", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"triad 9.8.7", "feedbeef", "2026-01-02"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("version of the built binary lacks %q:\n%s", want, out)
		}
	}
	if runtime.GOOS != "linux" {
		return
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary has a %v program header: it is not static", p.Type)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs shared libraries %v", libs)
	}
}
