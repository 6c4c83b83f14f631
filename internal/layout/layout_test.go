// Package layout_test checks the import rules of the project's packages
// (STYLE 2.1): sim is the model and imports only the standard library,
// gonum and, of ours, internal/portable, the arithmetic with the same bits
// on every platform, which imports only the standard library;
// internal/calibrate, the fitting algorithm, imports only the standard
// library, internal/portable and internal/share (how shards split a
// batch, standard library only), and only internal/fit, the fit use case,
// imports it (of ours, internal/fit imports only scenarios, runs, sim,
// output and internal/calibrate); scenarios and output never import each other;
// only the command imports the command line's packages; nothing imports
// the command; runs, the output folder's protocol, imports neither
// scenarios nor os/exec; only output/chart draws with gonum/plot; output,
// the pure encoders and statistics, imports neither runs nor its own
// chart and report packages;
// the command draws no chart and fits nothing itself (it imports neither
// output/chart nor internal/calibrate: the packages of the use cases do);
// internal/serve, the explorer's server, draws nothing (its page does) and
// runs a scenario through runs (runs.Folder.Run, as triad run does), not
// through a closure the command hands it.
// internal/optimize, the budget search, imports of ours only sim,
// scenarios, runs, output (and its chart and report) and internal/portable.
// internal/complete, shell completion's candidates, imports of ours only
// sim, scenarios and runs (the command gives it the flags of its table).
// internal/golden, the tests' golden files, is imported by tests only.
// internal/slurm, which asks Slurm which shards it holds (runs runs no
// programs), imports only the standard library.
// TestCommandIsThin (thin_test.go) holds the command to its size.
// TestNoFusedArithmetic (fused_test.go) checks the compiled code: nothing
// the module computes is fused into a multiply-add on arm64; and
// TestFileContentsAreTheSameOnWindows (oscontent_test.go) that no file
// gets a Windows line ending or path separator.
package layout_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/triad-sim/triad"

func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}:{{join .Imports \" \"}}", module+"/...").Output()
	if err != nil {
		t.Skipf("go list is not available: %v", err)
	}
	imports := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, list, _ := strings.Cut(line, ":")
		imports[strings.TrimPrefix(pkg, module+"/")] = strings.Fields(list)
	}
	if len(imports) < 4 {
		t.Fatalf("go list found %d packages: %v", len(imports), imports)
	}
	isStd := func(p string) bool { return !strings.Contains(strings.SplitN(p, "/", 2)[0], ".") }
	for pkg, list := range imports {
		for _, imp := range list {
			own := strings.TrimPrefix(imp, module+"/")
			isOutput := pkg == "output" || strings.HasPrefix(pkg, "output/")
			switch {
			case pkg == "sim" && !isStd(imp) && !strings.HasPrefix(imp, "gonum.org/v1/gonum/") && own != "internal/portable":
				t.Errorf("sim imports %s: the model imports only the standard library, gonum and internal/portable", imp)
			case pkg == "sim" && own != imp && own != "internal/portable":
				t.Errorf("sim imports %s: the model imports nothing of ours but internal/portable", own)
			case pkg == "internal/portable" && !isStd(imp):
				t.Errorf("internal/portable imports %s: it imports only the standard library", imp)
			case pkg == "scenarios" && (own == "output" || strings.HasPrefix(own, "output/")), isOutput && own == "scenarios":
				t.Errorf("%s imports %s: the two never import each other", pkg, own)
			case pkg == "runs" && (own == "scenarios" || imp == "os/exec"):
				t.Errorf("runs imports %s: the folder protocol reads no scenario files and runs no programs", imp)
			case pkg != "output/chart" && strings.HasPrefix(imp, "gonum.org/v1/plot"):
				t.Errorf("%s imports %s: only output/chart draws", pkg, imp)
			case pkg == "output" && (own == "runs" || strings.HasPrefix(own, "output/") && own != "output/internal/fixture"):
				t.Errorf("output imports %s: the pure encoders and statistics know nothing of folders, charts or the report", own)
			case pkg == "cmd/triad" && (own == "output/chart" || own == "internal/calibrate"):
				t.Errorf("cmd/triad imports %s: the command parses flags and prints; drawing and fitting happen in the packages of its use cases", own)
			case pkg != "cmd/triad" && strings.HasPrefix(own, "cmd/"):
				t.Errorf("%s imports the command %s", pkg, own)
			case pkg != "cmd/triad" && imp == "github.com/spf13/pflag":
				t.Errorf("%s imports pflag: only the command parses flags", pkg)
			case pkg == "internal/calibrate" && !isStd(imp) && own != "internal/portable" && own != "internal/share":
				t.Errorf("internal/calibrate imports %s: the fitting algorithm imports only the standard library and internal/portable", imp)
			case pkg == "internal/calibrate" && (imp == "os" || imp == "time"):
				t.Errorf("internal/calibrate imports %s: it touches no files and looks at no clock", imp)
			case pkg == "internal/optimize" && !isStd(imp) && own != "internal/portable" && own != "internal/share" && own != "sim" && own != "scenarios" && own != "runs" && own != "output" && !strings.HasPrefix(own, "output/"):
				t.Errorf("internal/optimize imports %s: the search imports only the standard library, internal/portable, sim, scenarios, runs and output", imp)
			case pkg == "internal/complete" && !isStd(imp) && own != "sim" && own != "scenarios" && own != "runs":
				t.Errorf("internal/complete imports %s: shell completion's candidates come from sim, scenarios and runs only (the command gives the flags)", imp)
			case own == "internal/golden":
				t.Errorf("%s imports internal/golden: only tests compare with golden files", pkg)
			case pkg == "internal/fit" && own != imp && !slices.Contains([]string{"scenarios", "runs", "sim", "internal/calibrate", "internal/portable"}, own) && own != "output" && !strings.HasPrefix(own, "output/"):
				t.Errorf("internal/fit imports %s: the fit use case imports of ours only scenarios, runs, sim, output and internal/calibrate", own)
			case own == "internal/calibrate" && pkg != "internal/fit":
				t.Errorf("%s imports internal/calibrate: only the fit use case (internal/fit) does; the command goes through it", pkg)
			case pkg == "internal/slurm" && !isStd(imp):
				t.Errorf("internal/slurm imports %s: it imports only the standard library", imp)
			case pkg == "internal/share" && !isStd(imp):
				t.Errorf("internal/share imports %s: it imports only the standard library", imp)
			case pkg == "sim" && imp == "os":
				t.Errorf("sim imports %s: it touches no files", imp)
			}
		}
	}
	if !slices.Contains(imports["internal/serve"], module+"/runs") {
		t.Errorf("internal/serve does not import runs: the explorer runs a scenario through runs.Folder, as triad run does, not through a closure from the command")
	}
}
