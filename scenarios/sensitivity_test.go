package scenarios

import (
	"errors"
	"slices"
	"testing"

	"github.com/triad-sim/triad/sim"
)

// TestSensitivityFlagsSweep checks how the flags given change a
// scenario's sensitivity block into a sweep: --param replaces its
// parameters, each setting given replaces the block's and one not given
// keeps it, and the errors come in the order the command line words them.
func TestSensitivityFlagsSweep(t *testing.T) {
	block := &sim.Sensitivity{Method: sim.DesignMorris, Samples: 8, Levels: 6, Metrics: []string{"t50"},
		Params: []sim.SensitivityParam{{Path: "regions.south.pull", Low: ptr(0.1), High: ptr(1.0)}}}
	sobol := sim.DesignSobol
	for _, c := range []struct {
		name  string
		block *sim.Sensitivity
		flags SensitivityFlags
		// The sweep's design, points, levels, radial, timeseries, metrics
		// and parameter paths, or the error.
		design          string
		points, levels  int
		radial, series  bool
		metrics, params []string
		err             func(error) bool
	}{
		{name: "the block as it is", block: block, design: sim.DesignMorris, points: 8, levels: 6, metrics: []string{"t50"}, params: []string{"regions.south.pull"}},
		{name: "flags over the block", block: block,
			flags:  SensitivityFlags{Params: []string{"a=0:1", "b=1:2"}, Samples: ptr(12), Levels: ptr(4), Radial: ptr(true), Timeseries: ptr(true), Metrics: ptr([]string{"t50", "lag_median"})},
			design: sim.DesignMorris, points: 12, levels: 4, radial: true, series: true, metrics: []string{"t50", "lag_median"}, params: []string{"a", "b"}},
		{name: "no block, parameters given", flags: SensitivityFlags{Params: []string{"a=0:1"}, Method: &sobol},
			design: sim.DesignSobol, points: sim.DefaultSobolSamples, params: []string{"a"}},
		{name: "no block, no parameters", flags: SensitivityFlags{Samples: ptr(1)}, err: func(err error) bool { return errors.Is(err, ErrNoSensitivity) }},
		{name: "a bad range before the rest", flags: SensitivityFlags{Params: []string{"a=0:1", "b=2:1"}, Samples: ptr(1)},
			err: func(err error) bool { pe, ok := errors.AsType[*ParamRangeError](err); return ok && pe.Arg == "b=2:1" }},
		{name: "sobol with the block's levels", block: block, flags: SensitivityFlags{Method: &sobol, Samples: ptr(1)},
			err: func(err error) bool { return errors.Is(err, ErrMorrisOnly) }},
		{name: "too few samples", block: block, flags: SensitivityFlags{Samples: ptr(1), Levels: ptr(3)},
			err: func(err error) bool { return err.Error() == "samples must be at least 2, got 1" }},
		{name: "odd levels", block: block, flags: SensitivityFlags{Levels: ptr(3)},
			err: func(err error) bool { return err.Error() == "levels must be an even number of at least 2, got 3" }},
		{name: "no levels", block: block, flags: SensitivityFlags{Levels: ptr(0)},
			err: func(err error) bool {
				se, ok := errors.AsType[*SettingError](err)
				return ok && se.Setting == "levels"
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sw, err := c.flags.Sweep(c.block)
			if c.err != nil {
				if err == nil || !c.err(err) {
					t.Fatalf("got %v, want the case's error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var params []string
			for _, p := range sw.Params {
				params = append(params, p.Path)
			}
			if sw.Design != c.design || sw.Points != c.points || sw.Levels != c.levels || sw.Radial != c.radial || sw.Timeseries != c.series ||
				!slices.Equal(sw.Metrics, c.metrics) || !slices.Equal(params, c.params) {
				t.Errorf("got %s %d points, %d levels, radial %v, timeseries %v, metrics %v, params %v; want %s %d, %d, %v, %v, %v, %v",
					sw.Design, sw.Points, sw.Levels, sw.Radial, sw.Timeseries, sw.Metrics, params, c.design, c.points, c.levels, c.radial, c.series, c.metrics, c.params)
			}
		})
	}
	if block.Samples != 8 || len(block.Params) != 1 {
		t.Errorf("the block changed: %+v", block)
	}
}
