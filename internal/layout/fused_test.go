package layout_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// fusedOp matches the arm64 instructions that multiply and add with a
// single rounding, as the Go compiler prints them (go build -gcflags=-S):
// FMADDD, FMSUBD, FNMADDD, FNMSUBD and the single-precision FMADDS,
// FMSUBS, FNMADDS, FNMSUBS.
var fusedOp = regexp.MustCompile(`^FN?M(ADD|SUB)[SD]$`)

// libraries are compiled with -S beside the module: the numerical code the
// module calls on the way to its files. A fused instruction in one of
// their functions that the module's code reaches by a direct call fails
// the test as if it were ours. gonum/plot and golang.org/x/image, which
// draw the charts, are left out: their arithmetic is fused on arm64 and
// nothing here can change that (README says what it does to the charts).
var libraries = []string{"gonum.org/v1/gonum/...", "math", "math/rand/v2"}

// fusedAllowed lists functions whose fused arithmetic never reaches an
// output file, each with the reason. It is empty: every figure triad
// writes is computed without fusion.
var fusedAllowed = map[string]string{}

// asmLine is an instruction of the compiler's listing: its position, its
// opcode and its operands.
var asmLine = regexp.MustCompile(`^\t0x[0-9a-f]+ \d+ \((.+:\d+)\)\t(\S+)\t?(.*)$`)

// TestNoFusedArithmetic compiles every package of the module for
// linux/arm64, where Go fuses x*y + z into one instruction, and fails on
// every fused multiply-add in the module's own code and in the functions
// of the numerical libraries that the module's code calls directly or
// through other library functions (including their arm64 assembly). The
// Go specification's way to forbid a fusion is an explicit conversion,
// float64(x*y) + z; internal/portable has the statistics and elementary
// functions that need it. Calls through interfaces and function values
// are not followed.
func TestNoFusedArithmetic(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the module for arm64 (a minute and a half cold); make test runs it in the pass without -short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skipf("the go command is not available: %v", err)
	}
	args := []string{"build", "-gcflags=" + module + "/...=-S"}
	for _, lib := range libraries {
		args = append(args, "-gcflags="+lib+"=-S")
	}
	cmd := exec.Command("go", append(args, module+"/...")...)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	// The listing comes on the standard error.
	var listing bytes.Buffer
	cmd.Stderr = &listing
	if err := cmd.Run(); err != nil {
		t.Fatalf("GOARCH=arm64 go build: %v\n%.3000s", err, listing.String())
	}
	fused, calls, defined := parseListing(t, &listing)
	for fn, sites := range asmFused(t) {
		fused[fn] = append(fused[fn], sites...)
	}
	if len(defined) == 0 || !slices.ContainsFunc(defined, func(fn string) bool { return strings.HasPrefix(fn, module+"/sim.") }) {
		t.Fatalf("the listing defines no function of sim: %d functions in all", len(defined))
	}

	// Walk from every function of the module through direct calls,
	// remembering one caller of each library function for the message.
	via := map[string]string{}
	var queue []string
	for _, fn := range defined {
		if ours(fn) {
			via[fn] = ""
			queue = append(queue, fn)
		}
	}
	for len(queue) > 0 {
		fn := queue[0]
		queue = queue[1:]
		for _, callee := range calls[fn] {
			if _, seen := via[callee]; !seen {
				via[callee] = fn
				queue = append(queue, callee)
			}
		}
	}
	var found []string
	for fn, sites := range fused {
		if _, reached := via[fn]; !reached {
			continue
		}
		if reason, ok := fusedAllowed[fn]; ok {
			t.Logf("allowed: %s (%s)", fn, reason)
			continue
		}
		chain := fn
		for c := via[fn]; c != ""; c = via[c] {
			chain = c + " → " + chain
		}
		slices.Sort(sites)
		sites = slices.Compact(sites)
		if len(sites) > 6 {
			sites = append(sites[:6], fmt.Sprintf("and %d more", len(sites)-6))
		}
		found = append(found, fmt.Sprintf("%s: %s", chain, strings.Join(sites, ", ")))
	}
	slices.Sort(found)
	for _, f := range found {
		t.Errorf("fused multiply-add on arm64: %s", f)
	}
	for fn := range fusedAllowed {
		if _, ok := fused[fn]; !ok {
			t.Errorf("fusedAllowed lists %s, which has no fused instruction any more", fn)
		}
	}
}

// ours says whether a symbol is a function of the module; the listing
// names the functions of its commands (cmd/triad, internal/dist,
// internal/scaling) main.*, and no library has a main package.
func ours(fn string) bool { return strings.HasPrefix(fn, module+"/") || strings.HasPrefix(fn, "main.") }

// parseListing reads the compiler's -S listing: for each function, its
// fused instructions (as "opcode file:line", the position of the source
// line, which for inlined code is the inlined function's) and the
// functions it calls directly, and every function it defines.
func parseListing(t *testing.T, listing *bytes.Buffer) (fused, calls map[string][]string, defined []string) {
	t.Helper()
	fused, calls = map[string][]string{}, map[string][]string{}
	fn := ""
	sc := bufio.NewScanner(listing)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if name, rest, ok := strings.Cut(line, " STEXT"); ok && !strings.HasPrefix(line, "\t") && (rest == "" || rest[0] == ' ') {
			fn = name
			defined = append(defined, fn)
			continue
		}
		m := asmLine.FindStringSubmatch(line)
		if m == nil || fn == "" {
			continue
		}
		pos, op, operands := m[1], m[2], m[3]
		switch {
		case fusedOp.MatchString(op):
			fused[fn] = append(fused[fn], op+" "+shortPath(pos))
		case op == "CALL" && strings.HasSuffix(operands, "(SB)"):
			calls[fn] = append(calls[fn], strings.TrimSuffix(operands, "(SB)"))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return fused, calls, defined
}

// shortPath trims a listing's position to its folder and file, such as
// sim/step.go:433, so that messages do not depend on the machine.
func shortPath(pos string) string {
	dir, file := filepath.Split(filepath.ToSlash(pos))
	return filepath.Base(dir) + "/" + file
}

// asmFused finds the assembly functions for arm64 in the libraries'
// packages that contain a fused instruction, such as math.Exp's, which the
// compiler's listing does not show.
func asmFused(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}\t{{.Dir}}\t{{join .SFiles \" \"}}", module+"/...")
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	text := regexp.MustCompile(`^TEXT\s+·(\w+)\(SB\)`)
	fused := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 3 || f[2] == "" || !scannedLibrary(f[0]) {
			continue
		}
		for _, file := range strings.Fields(f[2]) {
			b, err := os.ReadFile(filepath.Join(f[1], file))
			if err != nil {
				t.Fatal(err)
			}
			fn := ""
			for i, l := range strings.Split(string(b), "\n") {
				if m := text.FindStringSubmatch(l); m != nil {
					fn = f[0] + "." + m[1]
				}
				if op := strings.Fields(l); fn != "" && len(op) > 0 && fusedOp.MatchString(op[0]) {
					fused[fn] = append(fused[fn], fmt.Sprintf("%s %s/%s:%d", op[0], f[0], file, i+1))
				}
			}
		}
	}
	return fused
}

// scannedLibrary says whether a package is one of the libraries.
func scannedLibrary(pkg string) bool {
	for _, lib := range libraries {
		if pkg == lib || strings.HasSuffix(lib, "/...") && strings.HasPrefix(pkg, strings.TrimSuffix(lib, "...")) {
			return true
		}
	}
	return false
}
