package scenarios

import (
	"errors"
	"fmt"
	"strings"

	"github.com/triad-sim/triad/sim"
)

// Set applies assignments of the form PATH=VALUE, as given to
// `triad run --set`, to cfg in order, then validates the result. PATH is a
// parameter path as for sim.Config.Set: "regions.gba.p",
// "cities.shenzhen.capability.mean", "links.bth-gba.friction",
// "diffusion.q", "seed".
//
// cfg should be valid, as Load returns it. The error is an Errors value
// whose entries name the assignment at fault in place of a file, such as
// `--set regions.gba.pp=1: regions have no parameter "pp" (one of ...)`.
// A parameter set twice is an error that names both assignments. A rule
// that ties fields together (spread against mean, k against the number
// of firms) is blamed on the last assignment that broke it; a problem cfg
// had before any assignment is reported with its field alone.
// On error cfg may be partly changed.
func Set(cfg *sim.Config, assignments []string) error {
	var es Errors
	prev := problems(cfg.Validate())
	cause := map[sim.FieldError]string{}
	// The assignment that set each parameter, by its field (two paths
	// name one link's parameter: links.a-b.friction and links.b-a.friction).
	setBy := map[string]string{}
	for _, a := range assignments {
		file := "--set " + a
		path, value, ok := strings.Cut(a, "=")
		path = strings.TrimSpace(path)
		if !ok || path == "" {
			es = append(es, Error{File: file, Msg: "want PATH=VALUE"})
			continue
		}
		key := path
		if field, err := cfg.ParamField(path); err == nil {
			key = field
		}
		if first, ok := setBy[key]; ok {
			es = append(es, Error{File: file, Msg: fmt.Sprintf("sets the parameter that %s set already; give each parameter once", first)})
			continue
		}
		setBy[key] = file
		if err := cfg.Set(path, strings.TrimSpace(value)); err != nil {
			es = append(es, Error{File: file, Msg: strings.TrimPrefix(err.Error(), path+": ")})
			continue
		}
		now := problems(cfg.Validate())
		for fe := range now {
			if !prev[fe] {
				cause[fe] = file
			}
		}
		prev = now
	}
	if len(es) > 0 {
		return es
	}
	var fes sim.Errors
	if !errors.As(cfg.Validate(), &fes) {
		return nil
	}
	for _, fe := range fes {
		es = append(es, Error{File: cause[fe], Field: fe.Field, Msg: fe.Msg})
	}
	return es
}

// problems returns the set of problems in a Validate error.
func problems(err error) map[sim.FieldError]bool {
	var fes sim.Errors
	errors.As(err, &fes)
	set := make(map[sim.FieldError]bool, len(fes))
	for _, fe := range fes {
		set[fe] = true
	}
	return set
}
