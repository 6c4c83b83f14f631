package scenarios

import (
	"path/filepath"
	"testing"

	"github.com/triad-sim/triad/internal/golden"
)

// TestReferenceIsCurrent fails when docs/SCENARIOS.md no longer says what
// the validator checks; go test ./scenarios -update rewrites it.
func TestReferenceIsCurrent(t *testing.T) {
	path := filepath.Join("..", "docs", "SCENARIOS.md")
	golden.Check(t, path, []byte(Reference()), "docs/SCENARIOS.md no longer says what the validator checks; run go test ./scenarios -update and review the diff")
}
