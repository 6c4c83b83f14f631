package scenarios

import (
	"errors"
	"testing"
)

func TestParseParamRange(t *testing.T) {
	for _, c := range []struct {
		name, arg string
		path      string
		lo, hi    float64
		msg       string
	}{
		{"a range", "regions.north.p=0.01:0.02", "regions.north.p", 0.01, 0.02, ""},
		{"spaces around the parts", " diffusion.q = -1 : 2e1 ", "diffusion.q", -1, 20, ""},
		{"no equals sign", "regions.north.p", "", 0, 0, "want PATH=LOW:HIGH"},
		{"no colon", "regions.north.p=0.01", "", 0, 0, "want PATH=LOW:HIGH"},
		{"no path", " =0:1", "", 0, 0, "want PATH=LOW:HIGH"},
		{"a word for a number", "p=low:1", "", 0, 0, `"low" is not a finite number`},
		{"an empty bound", "p=0:", "", 0, 0, `"" is not a finite number`},
		{"an infinite bound", "p=0:Inf", "", 0, 0, `"Inf" is not a finite number`},
		{"not a number", "p=NaN:1", "", 0, 0, `"NaN" is not a finite number`},
		{"equal bounds", "p=1:1", "", 0, 0, "LOW must be below HIGH"},
		{"bounds the wrong way round", "p=2:1", "", 0, 0, "LOW must be below HIGH"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path, lo, hi, err := ParseParamRange(c.arg)
			if c.msg != "" {
				if err == nil || err.Error() != c.msg {
					t.Errorf("ParseParamRange(%q) = %q, %g, %g, %v; want the error %q", c.arg, path, lo, hi, err, c.msg)
				}
				return
			}
			if err != nil || path != c.path || lo != c.lo || hi != c.hi {
				t.Errorf("ParseParamRange(%q) = %q, %g, %g, %v; want %q, %g, %g", c.arg, path, lo, hi, err, c.path, c.lo, c.hi)
			}
		})
	}
}

// TestParseFitParams checks that the parameters of a fit are read in
// order, none giving none, and that the first argument that cannot be
// read is named in a *ParamRangeError.
func TestParseFitParams(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want []FitParam // Path, *Low and *High compared
		bad  string     // the argument of the error; "" for none
	}{
		{"none", nil, nil, ""},
		{"two in order", []string{"regions.south.pull=0.1:1", "a,b=2:3"}, []FitParam{{Path: "regions.south.pull", Low: ptr(0.1), High: ptr(1.0)}, {Path: "a,b", Low: ptr(2.0), High: ptr(3.0)}}, ""},
		{"the first bad one", []string{"p=0:1", "q=2:1", "r"}, nil, "q=2:1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseFitParams(c.args)
			pe, isRange := errors.AsType[*ParamRangeError](err)
			switch {
			case c.bad != "" && (!isRange || pe.Arg != c.bad || err.Error() != c.bad+": LOW must be below HIGH"):
				t.Fatalf("got %v, want a *ParamRangeError for %q", err, c.bad)
			case c.bad != "":
				return
			case err != nil || len(got) != len(c.want):
				t.Fatalf("got %d parameters, %v; want %d", len(got), err, len(c.want))
			}
			for i, p := range got {
				if w := c.want[i]; p.Path != w.Path || *p.Low != *w.Low || *p.High != *w.High {
					t.Errorf("parameter %d: got %s=%g:%g, want %s=%g:%g", i, p.Path, *p.Low, *p.High, w.Path, *w.Low, *w.High)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
