package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/goccy/go-yaml/lexer"
)

func FuzzLoad(f *testing.F) {
	for _, dir := range []string{"valid", "invalid"} {
		files, err := filepath.Glob(filepath.Join("testdata", dir, "*.yaml"))
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	for _, in := range List() {
		src, err := Source(in.Name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, in := range hostileInputs(f) {
		f.Add(in.src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		// The count of tokens on the bytes, which refuses a file before
		// the lexer runs, must count at least half the tokens the lexer
		// finds.
		if len(src) <= DefaultCaps.Bytes {
			if n := len(lexer.Tokenize(string(src))); n > 0 && pastTokens(src, (n+1)/2-1) < 0 {
				t.Errorf("the count on the bytes found fewer than half the lexer's %d tokens", n)
			}
		}
		cfg, err := Load("fuzz.yaml", src)
		if err == nil {
			if err := cfg.Validate(); err != nil {
				t.Fatalf("Load returned a config that does not validate: %v", err)
			}
			return
		}
		es, ok := err.(Errors)
		if !ok {
			t.Fatalf("got %T %v, want Errors", err, err)
		}
		if len(es) == 0 {
			t.Fatal("got an empty Errors, want at least one problem")
		}
		for i, e := range es {
			if e.Line < 1 || e.Col < 1 {
				t.Errorf("got position %d:%d in %v, want both ≥ 1", e.Line, e.Col, e)
			}
			if i < MaxShown {
				_ = e.Snippet(src) // triad validate shows the first few
			}
		}
		_ = es.Error()
		if !errors.As(err, new(Errors)) {
			t.Error("errors.As(err, *Errors): got false, want true")
		}
	})
}
