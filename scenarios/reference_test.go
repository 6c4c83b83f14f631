package scenarios

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReferenceIsCurrent fails when docs/SCENARIOS.md no longer says what
// the validator checks; go test ./scenarios -update rewrites it.
func TestReferenceIsCurrent(t *testing.T) {
	path := filepath.Join("..", "docs", "SCENARIOS.md")
	got := Reference()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./scenarios -update)", err)
	}
	if string(want) != got {
		t.Error("docs/SCENARIOS.md differs from the parameter table the validator uses; run go test ./scenarios -update and review the diff")
	}
}
