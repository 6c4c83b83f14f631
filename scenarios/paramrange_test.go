package scenarios

import "testing"

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
