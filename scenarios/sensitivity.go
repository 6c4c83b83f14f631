package scenarios

import (
	"errors"
	"fmt"

	"github.com/triad-sim/triad/sim"
)

// SensitivityFlags are the changes a command line makes to a scenario's
// sensitivity block: Params, when any, replace its parameters (each
// PATH=LOW:HIGH, see ParseParamRange), and each setting given (not nil)
// replaces the block's.
type SensitivityFlags struct {
	Params             []string
	Method             *string
	Samples, Levels    *int
	Radial, Timeseries *bool
	Metrics            *[]string
}

// ErrNoSensitivity says that a sensitivity analysis has no parameters: the
// scenario has no sensitivity block and none were given.
var ErrNoSensitivity = errors.New("no sensitivity block and no parameters")

// ErrMorrisOnly says that a Sobol analysis was given levels or a radial
// design, which only a Morris design has.
var ErrMorrisOnly = errors.New("levels and radial apply only to the Morris method")

// SettingError is a setting of an experiment (a sensitivity analysis, a
// fit, an optimization) out of its range: Setting names it as the
// experiment's settings and the command line do (samples, particles,
// fresh) and Want says what it must be and what it is. The command words
// it with its flag.
type SettingError struct{ Setting, Want string }

func (e *SettingError) Error() string { return e.Setting + " " + e.Want }

// Sweep returns the Morris or Sobol sweep of the sensitivity block (nil
// without one) as f changes it. Its errors, in the order it checks: a
// *ParamRangeError, ErrNoSensitivity, ErrMorrisOnly, a
// *SettingError for samples, then levels.
func (f SensitivityFlags) Sweep(block *sim.Sensitivity) (*sim.Sweep, error) {
	var s sim.Sensitivity
	if block != nil {
		s = *block
	}
	if len(f.Params) > 0 {
		s.Params = nil
		err := parseParamRanges(f.Params, func(path string, lo, hi float64) {
			s.Params = append(s.Params, sim.SensitivityParam{Path: path, Low: &lo, High: &hi})
		})
		if err != nil {
			return nil, err
		}
	}
	if len(s.Params) == 0 {
		return nil, ErrNoSensitivity
	}
	setGiven(&s.Method, f.Method)
	setGiven(&s.Samples, f.Samples)
	setGiven(&s.Levels, f.Levels)
	setGiven(&s.Radial, f.Radial)
	setGiven(&s.Metrics, f.Metrics)
	setGiven(&s.Timeseries, f.Timeseries)
	switch {
	case s.Method == sim.DesignSobol && (s.Levels != 0 || s.Radial):
		return nil, ErrMorrisOnly
	case f.Samples != nil && *f.Samples < 2:
		return nil, &SettingError{"samples", fmt.Sprintf("must be at least 2, got %d", *f.Samples)}
	case f.Levels != nil && (*f.Levels < 2 || *f.Levels%2 != 0):
		return nil, &SettingError{"levels", fmt.Sprintf("must be an even number of at least 2, got %d", *f.Levels)}
	}
	return s.Sweep(), nil
}

// setGiven sets *dst to *v when v is given (not nil).
func setGiven[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
