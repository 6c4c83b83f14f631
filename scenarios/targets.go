package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"

	"github.com/triad-sim/triad/sim"
)

// Targets is a targets file: the observed figures `triad fit` calibrates
// a scenario against, and optionally the parameters to fit.
type Targets struct {
	Targets []Target `yaml:"targets"`
	// Params are the parameters to fit with their prior ranges; the
	// command's --param flags replace them.
	Params []FitParam `yaml:"params,omitempty"`
}

// Target is one observed figure.
type Target struct {
	// Metric is a per-run metric of sim.RunResult.Metrics, such as
	// commercialization_rate or commercialized_share.
	Metric string `yaml:"metric"`
	// Region is the region the figure is about ("" for the whole
	// scenario); Regions, instead, names several whose figures are added
	// (the periphery's share as central + west).
	Region  string   `yaml:"region,omitempty"`
	Regions []string `yaml:"regions,omitempty"`
	// Value is the observed figure and Uncertainty its standard deviation.
	Value       *float64 `yaml:"value"`
	Uncertainty *float64 `yaml:"uncertainty"`
	// Source says where the figure comes from: publication, year, page.
	Source string `yaml:"source"`
	// Line is the target's line in the file (set by LoadTargets).
	Line int `yaml:"-"`
}

// Name is the target's label in tables: "metric" or "metric@region", with
// summed regions joined by "+".
func (t Target) Name() string {
	if rs := t.RegionList(); len(rs) > 0 {
		return t.Metric + "@" + strings.Join(rs, "+")
	}
	return t.Metric
}

// RegionList is the regions whose figures the target adds up: Regions, or
// Region alone, or none for a whole-scenario figure.
func (t Target) RegionList() []string {
	if len(t.Regions) > 0 {
		return t.Regions
	}
	if t.Region != "" {
		return []string{t.Region}
	}
	return nil
}

// FitParam is a parameter to fit with a uniform prior on [Low, High].
// Path is a parameter path as for --set, or several joined by commas that
// take the same value (the periphery's two pulls).
type FitParam struct {
	Path string   `yaml:"path"`
	Low  *float64 `yaml:"low"`
	High *float64 `yaml:"high"`
}

// Paths splits the parameter's path at its commas.
func (p FitParam) Paths() []string {
	var ps []string
	for s := range strings.SplitSeq(p.Path, ",") {
		ps = append(ps, strings.TrimSpace(s))
	}
	return ps
}

// Region-level metric names of sim.RunResult.Metrics (besides
// transfer_to_<region>), and the whole-scenario ones.
var (
	regionMetrics = []string{
		sim.MetricDiscovered, sim.MetricCommercialized, sim.MetricCommercialShare, sim.MetricLost,
		sim.MetricFinalAdoption, sim.MetricAdoptionAt24, sim.MetricAdoptionAt60,
		sim.MetricT50, sim.MetricT50KM, sim.MetricReached50,
	}
	scenarioMetrics = []string{
		sim.MetricDiscovered, sim.MetricCommercialized, sim.MetricCommercialRate, sim.MetricLost, sim.MetricLagMedian,
	}
)

// MetricExists reports whether cfg's runs have the metric for the region
// ("" for the whole scenario), as sim.RunResult.Metrics names them.
func MetricExists(cfg *sim.Config, metric, region string) bool {
	if region == "" {
		return slices.Contains(scenarioMetrics, metric)
	}
	ids := cfg.RegionIDs()
	if !slices.Contains(ids, region) {
		return false
	}
	if to, ok := strings.CutPrefix(metric, sim.MetricTransferToPrefix); ok {
		return slices.Contains(ids, to)
	}
	return slices.Contains(regionMetrics, metric)
}

// LoadTargets reads a targets file for the scenario cfg. Every problem has
// the file's name, a line and a column: YAML syntax, unknown keys, values of
// the wrong type, a missing value or uncertainty, an uncertainty that is
// not positive, a metric or region cfg's runs do not have, a parameter
// path cfg does not have or a prior range that is empty.
func LoadTargets(name string, src []byte, cfg *sim.Config) (Targets, error) {
	t, x, err := decodeFile[Targets](name, src, "a targets file")
	if err != nil {
		return Targets{}, err
	}
	var es Errors
	add := func(path, format string, args ...any) {
		es = append(es, x.at(name, path, fmt.Sprintf(format, args...)))
	}
	if len(t.Targets) == 0 {
		add("targets", "no targets: list at least one {metric, value, uncertainty, source}")
	}
	for i := range t.Targets {
		tg := &t.Targets[i]
		p := fmt.Sprintf("targets[%d]", i)
		tg.Line = x.locate(p).line
		if tg.Region != "" && len(tg.Regions) > 0 {
			add(p+".regions", "give region or regions, not both")
		}
		switch {
		case tg.Metric == "":
			add(p+".metric", "missing: name a metric, such as %s", sim.MetricCommercialRate)
		case len(tg.RegionList()) == 0 && !MetricExists(cfg, tg.Metric, ""):
			if MetricExists(cfg, tg.Metric, cfg.RegionIDs()[0]) {
				add(p+".metric", "%s is a figure of one region: give its region", tg.Metric)
			} else {
				add(p+".metric", "no whole-scenario metric %q (one of %s)", tg.Metric, strings.Join(scenarioMetrics, ", "))
			}
		}
		for k, r := range tg.RegionList() {
			rp := p + ".region"
			if len(tg.Regions) > 0 {
				rp = fmt.Sprintf("%s.regions[%d]", p, k)
			}
			switch {
			case !slices.Contains(cfg.RegionIDs(), r):
				add(rp, "no region %q in %s (regions: %s)", r, cfg.Name, strings.Join(cfg.RegionIDs(), ", "))
			case tg.Metric != "" && !MetricExists(cfg, tg.Metric, r):
				add(p+".metric", "regions have no metric %q (one of %s, transfer_to_<region>)", tg.Metric, strings.Join(regionMetrics, ", "))
			}
		}
		switch {
		case tg.Value == nil:
			add(p+".value", "missing: give the observed figure")
		case math.IsNaN(*tg.Value) || math.IsInf(*tg.Value, 0):
			add(p+".value", "%v is not a finite number", *tg.Value)
		}
		switch {
		case tg.Uncertainty == nil:
			add(p+".uncertainty", "missing: give the figure's standard deviation (how far it may be from the truth)")
		case !(*tg.Uncertainty > 0) || math.IsInf(*tg.Uncertainty, 0):
			add(p+".uncertainty", "%v is not a positive number", *tg.Uncertainty)
		}
		if strings.TrimSpace(tg.Source) == "" {
			add(p+".source", "missing: say where the figure comes from")
		}
	}
	paths := cfg.Paths(true)
	for i, fp := range t.Params {
		p := fmt.Sprintf("params[%d]", i)
		for _, path := range fp.Paths() {
			if !slices.Contains(paths, path) {
				msg := fmt.Sprintf("%s has no parameter %q", cfg.Name, path)
				if s := sim.Closest(path, paths, 2); s != "" {
					msg += "; did you mean " + s + "?"
				}
				add(p+".path", "%s", msg)
			}
		}
		switch {
		case fp.Low == nil:
			add(p+".low", "missing: give the lower end of the prior range")
		case fp.High == nil:
			add(p+".high", "missing: give the upper end of the prior range")
		case !(*fp.Low < *fp.High) || math.IsInf(*fp.Low, 0) || math.IsInf(*fp.High, 0):
			add(p+".high", "prior range [%v, %v] is empty or not finite", *fp.Low, *fp.High)
		}
	}
	if len(es) > 0 {
		return Targets{}, sortErrors(es)
	}
	return t, nil
}

// decodeFile reads src, the YAML file name holding one T (what names it
// in the message about a second document), with every problem of syntax,
// unknown keys or wrong types at its line and column. It returns the
// index of its fields' places for the checks that follow.
func decodeFile[T any](name string, src []byte, what string) (T, *index, error) {
	var v T
	src = bytes.TrimPrefix(src, bom)
	tokens, err := tokenize(name, src, DefaultCaps)
	if err != nil {
		return v, nil, err
	}
	file, err := parser.Parse(tokens, 0)
	if err != nil {
		return v, nil, Errors{yamlError(name, err, nil)}
	}
	body, extra := document(file)
	x := newIndex(body, reflect.TypeFor[T]())
	if extra != nil {
		p := nodePos(extra)
		return v, nil, Errors{{File: name, Line: p.line, Col: p.col, Msg: what + " holds one YAML document"}}
	}
	if len(x.problems) > 0 {
		es := make(Errors, len(x.problems))
		for i, p := range x.problems {
			es[i] = x.at(name, p.path, p.msg)
			if p.at.line > 0 {
				es[i].Line, es[i].Col = p.at.line, p.at.col
			}
		}
		return v, nil, sortErrors(es)
	}
	if body != nil {
		dec := yaml.NewDecoder(bytes.NewReader(src), yaml.Strict())
		if err := dec.Decode(&v); err != nil && !errors.Is(err, io.EOF) {
			return v, nil, Errors{yamlError(name, err, x)}
		}
	}
	return v, x, nil
}
