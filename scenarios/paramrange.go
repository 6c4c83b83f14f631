package scenarios

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseParamRange reads a parameter's range, PATH=LOW:HIGH, as
// sensitivity and fit take it: a path and two finite numbers, LOW below
// HIGH. Its errors do not repeat a, which the caller names as its user
// gave it.
func ParseParamRange(a string) (path string, lo, hi float64, err error) {
	path, rng, ok := strings.Cut(a, "=")
	los, his, ok2 := strings.Cut(rng, ":")
	path = strings.TrimSpace(path)
	if !ok || !ok2 || path == "" {
		return "", 0, 0, errors.New("want PATH=LOW:HIGH")
	}
	var vs [2]float64
	for i, s := range []string{los, his} {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return "", 0, 0, fmt.Errorf("%q is not a finite number", s)
		}
		vs[i] = v
	}
	if !(vs[0] < vs[1]) {
		return "", 0, 0, errors.New("LOW must be below HIGH")
	}
	return path, vs[0], vs[1], nil
}

// ParamRangeError is a parameter's range that ParseParamRange cannot
// read: Arg is the argument as its user gave it and Err says why.
type ParamRangeError struct {
	Arg string
	Err error
}

func (e *ParamRangeError) Error() string { return e.Arg + ": " + e.Err.Error() }
func (e *ParamRangeError) Unwrap() error { return e.Err }

// parseParamRanges reads every argument as ParseParamRange does and gives
// its path and range to add, in order; the first argument that cannot be
// read gives a *ParamRangeError.
func parseParamRanges(args []string, add func(path string, lo, hi float64)) error {
	for _, a := range args {
		path, lo, hi, err := ParseParamRange(a)
		if err != nil {
			return &ParamRangeError{Arg: a, Err: err}
		}
		add(path, lo, hi)
	}
	return nil
}

// ParseFitParams reads the parameters of a fit, each PATH=LOW:HIGH (see
// ParseParamRange), in order; none gives none. The first argument that
// cannot be read gives a *ParamRangeError.
func ParseFitParams(args []string) ([]FitParam, error) {
	var ps []FitParam
	err := parseParamRanges(args, func(path string, lo, hi float64) {
		ps = append(ps, FitParam{Path: path, Low: &lo, High: &hi})
	})
	return ps, err
}
