package scenarios

import (
	"strings"
	"testing"
)

func TestReadStdin(t *testing.T) {
	if _, err := ReadStdin(nil); err == nil || err.Error() != "<stdin>: no standard input" {
		t.Errorf("nil reader: %v", err)
	}
	if src, err := ReadStdin(strings.NewReader("name: x\n")); err != nil || string(src) != "name: x\n" {
		t.Errorf("small input: %q, %v", src, err)
	}
	big := strings.NewReader(strings.Repeat("#", MaxSize+1))
	if _, err := ReadStdin(big); err == nil || !strings.Contains(err.Error(), "the limit for a scenario") {
		t.Errorf("input over the limit: %v", err)
	}
	if src, err := ReadStdin(strings.NewReader(strings.Repeat("#", MaxSize))); err != nil || len(src) != MaxSize {
		t.Errorf("input at the limit: %d bytes, %v", len(src), err)
	}
}
