package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
	"testing"
)

func TestProblems(t *testing.T) {
	two := Errors{{"a.yaml", 2, 3, "steps", "must be positive"}, {"a.yaml", 4, 1, "seed", "is not a number"}}
	tests := []struct {
		name string
		err  error
		want Errors
	}{
		{"errors as they are", two, two},
		{"wrapped errors", fmt.Errorf("load: %w", two), two},
		{"another error", errors.New("a.yaml: permission denied"), Errors{{File: "b.yaml", Msg: "a.yaml: permission denied"}}},
		{"one error alone", Error{"a.yaml", 1, 1, "name", "is empty"}, Errors{{File: "b.yaml", Msg: "a.yaml:1:1: name: is empty"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Problems(tt.err, "b.yaml"); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Problems = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestErrorsListing(t *testing.T) {
	src := []byte("name: x\nsteps: -1\n")
	many := make(Errors, MaxShown+2)
	for i := range many {
		many[i] = Error{File: "a.yaml", Line: 2, Col: 8, Field: "steps", Msg: "must be positive"}
	}
	tests := []struct {
		name string
		es   Errors
		want string
	}{
		{"none", nil, ""},
		{"with a snippet", Errors{{"a.yaml", 2, 8, "steps", "must be positive"}},
			"a.yaml:2:8: steps: must be positive\nsteps: -1\n       ^\n"},
		{"without a position", Errors{{"--set seed=x", 0, 0, "", "not a number"}}, "--set seed=x: not a number\n"},
		{"more than shown", many, strings.Repeat("a.yaml:2:8: steps: must be positive\nsteps: -1\n       ^\n", MaxShown) + "and 2 more\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.es.Listing(src); got != tt.want {
				t.Errorf("Listing =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestReadArg(t *testing.T) {
	files := map[string]string{"mine.yaml": "name: mine\n"}
	read := func(path string) ([]byte, error) {
		if s, ok := files[path]; ok {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("open %s: %w", path, fs.ErrNotExist)
	}
	tests := []struct {
		name, arg, stdin string
		wantName         string
		wantSrc          string
		wantErr          bool
	}{
		{"standard input", "-", "name: piped\n", StdinName, "name: piped\n", false},
		{"a file", "mine.yaml", "name: piped\n", "mine.yaml", "name: mine\n", false},
		{"no such file", "gone.yaml", "", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, src, err := ReadArg(tt.arg, strings.NewReader(tt.stdin), read)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want an error: %v", err, tt.wantErr)
			}
			if !tt.wantErr && (name != tt.wantName || string(src) != tt.wantSrc) {
				t.Errorf("ReadArg = %q, %q; want %q, %q", name, src, tt.wantName, tt.wantSrc)
			}
		})
	}
	if _, _, err := ReadArg("-", nil, read); err == nil {
		t.Error("no standard input: no error")
	}
}
