package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// emulators run a linux binary of another processor (Debian's
// qemu-user-static).
var emulators = map[string]string{"amd64": "qemu-x86_64-static", "arm64": "qemu-aarch64-static"}

// TestSameFilesOnAmd64AndArm64 builds triad for linux/amd64 and
// linux/arm64, runs three-hubs and a comparison with each (the one that is
// not this machine's under qemu-user-static) and holds every file of the
// two output folders to the same SHA-256, the manifests apart from the
// lines that say where and when they ran. On amd64 it runs the amd64
// build a second time as if the processor had no FMA instructions
// (GODEBUG=cpu.fma=off), and holds every file but the manifest to the
// same bytes as the first. The PNG charts are the one
// exception: golang.org/x/image/vector, which gonum/plot rasterizes them
// with, is compiled with fused multiply-add on arm64, so a few dozen
// anti-aliased edge pixels of a chart differ by one level of 255; they are
// held to that (same size, at most one pixel in a thousand off, by at most
// one level), and their SVG twins to the same bytes.
func TestSameFilesOnAmd64AndArm64(t *testing.T) {
	if testing.Short() {
		t.Skip("builds triad twice and runs one under an emulator; make test runs it in the pass without -short")
	}
	if runtime.GOOS != "linux" || (runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64") {
		t.Skipf("runs linux/amd64 and linux/arm64 binaries; this is %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	other := map[string]string{"amd64": "arm64", "arm64": "amd64"}[runtime.GOARCH]
	qemu, err := exec.LookPath(emulators[other])
	if err != nil {
		t.Skipf("%s is not installed (apt-get install qemu-user-static): %v", emulators[other], err)
	}
	dir := t.TempDir()
	// Each way to run triad: its command line and its environment.
	type runner struct {
		argv []string
		env  []string
	}
	runners := map[string]runner{}
	for _, arch := range []string{"amd64", "arm64"} {
		bin := filepath.Join(dir, "triad-"+arch)
		cmd := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("GOARCH=%s go build: %v\n%s", arch, err, out)
		}
		runners[arch] = runner{argv: []string{bin}}
		if arch == other {
			runners[arch] = runner{argv: []string{qemu, bin}}
		}
	}
	if runtime.GOARCH == "amd64" {
		// An amd64 processor without the FMA instructions, on which
		// math.Exp takes another path of its assembly.
		runners["amd64 without FMA"] = runner{argv: runners["amd64"].argv, env: []string{"GODEBUG=cpu.fma=off"}}
	}
	commands := map[string][]string{
		"run":     {"run", "three-hubs", "--replications", "4", "--workers", "2", "--quiet", "--out", "out"},
		"compare": {"compare", "three-hubs", "no-connector", "--replications", "3", "--workers", "2", "--quiet", "--out", "out"},
	}
	for name, args := range commands {
		t.Run(name, func(t *testing.T) {
			outs := map[string]string{}
			for what, r := range runners {
				// The same relative --out in a folder of its own, so that
				// the command lines the manifests record are the same.
				wd := filepath.Join(dir, name+"-"+strings.ReplaceAll(what, " ", "-"))
				if err := os.MkdirAll(wd, 0o755); err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command(r.argv[0], append(r.argv[1:], args...)...)
				cmd.Dir = wd
				cmd.Env = append(os.Environ(), r.env...)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("triad %s on %s: %v\n%s", strings.Join(args, " "), what, err, out)
				}
				outs[what] = filepath.Join(wd, "out")
			}
			sameFilesAcrossPlatforms(t, outs["amd64"], outs["arm64"])
			if nofma, ok := outs["amd64 without FMA"]; ok {
				sameFiles(t, outs["amd64"], nofma)
			}
		})
	}
}

// sameFilesAcrossPlatforms holds the output folders a and b, made on two
// platforms, to the same files: the same bytes, PNG charts within one
// level on a few pixels, and the manifests equal but for the platform,
// the times and the PNG charts' SHA-256.
func sameFilesAcrossPlatforms(t *testing.T, a, b string) {
	t.Helper()
	fa, fb := outputFiles(t, a), outputFiles(t, b)
	if len(fa) < 5 {
		t.Fatalf("%s holds only %d files", a, len(fa))
	}
	for name, ba := range fa {
		bb, ok := fb[name]
		switch {
		case !ok:
			t.Errorf("%s is only on amd64", name)
		case strings.HasSuffix(name, ".png"):
			if err := nearlySamePNG(ba, bb); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		case !bytes.Equal(ba, bb):
			t.Errorf("%s differs between amd64 and arm64", name)
		}
	}
	for name := range fb {
		if _, ok := fa[name]; !ok {
			t.Errorf("%s is only on arm64", name)
		}
	}
	ma, mb := manifestWithoutPlatform(t, a), manifestWithoutPlatform(t, b)
	for key := range mergeKeys(ma, mb) {
		fa, _ := ma[key].(map[string]any)
		fb, _ := mb[key].(map[string]any)
		switch {
		case key == "files" && fa != nil && fb != nil:
			for name := range mergeKeys(fa, fb) {
				if fa[name] != fb[name] {
					t.Errorf("the manifests give %s the SHA-256 %v on amd64 and %v on arm64", name, fa[name], fb[name])
				}
			}
		case !reflect.DeepEqual(ma[key], mb[key]):
			t.Errorf("the manifests' %s is %v on amd64 and %v on arm64", key, ma[key], mb[key])
		}
	}
}

// mergeKeys returns the keys of a and b.
func mergeKeys(a, b map[string]any) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

// manifestWithoutPlatform reads dir's manifest without what depends on
// where and when it ran: the platform, the start and wall time, and the
// SHA-256 of the PNG charts.
func manifestWithoutPlatform(t *testing.T, dir string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m["platform"] == nil {
		t.Errorf("%s/manifest.json records no platform", dir)
	}
	delete(m, "platform")
	delete(m, "start")
	delete(m, "wall_seconds")
	files, _ := m["files"].(map[string]any)
	for name := range files {
		if strings.HasSuffix(name, ".png") {
			delete(files, name)
		}
	}
	return m
}

// nearlySamePNG returns an error unless two PNG images have the same size
// and differ in at most one pixel in a thousand, by at most one level of
// 255 in any channel.
func nearlySamePNG(a, b []byte) error {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return err
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return err
	}
	if ia.Bounds() != ib.Bounds() {
		return fmt.Errorf("%v on amd64, %v on arm64", ia.Bounds(), ib.Bounds())
	}
	r := ia.Bounds()
	off, worst := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if d := pixelDistance(ia, ib, x, y); d > 0 {
				off++
				worst = max(worst, d)
			}
		}
	}
	if worst > 1 || off*1000 > r.Dx()*r.Dy() {
		return fmt.Errorf("%d of %d pixels differ, by up to %d levels", off, r.Dx()*r.Dy(), worst)
	}
	return nil
}

// pixelDistance is the largest difference, in levels of 255, between the
// channels of a pixel of two images.
func pixelDistance(a, b image.Image, x, y int) int {
	r1, g1, b1, a1 := a.At(x, y).RGBA()
	r2, g2, b2, a2 := b.At(x, y).RGBA()
	d := 0
	for _, p := range [][2]uint32{{r1, r2}, {g1, g2}, {b1, b2}, {a1, a2}} {
		d = max(d, abs(int(p[0]>>8)-int(p[1]>>8)))
	}
	return d
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
