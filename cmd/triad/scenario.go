package main

import (
	"os"

	"triad/scenarios"
	"triad/sim"
)

// loadScenario reads and checks the scenario a command-line argument names:
// a file if one exists at that path, else a built-in scenario.
func loadScenario(arg string) (name string, src []byte, cfg sim.Config, err error) {
	name, src, err = scenarios.Resolve(arg, os.ReadFile)
	if err != nil {
		return "", nil, cfg, &inputError{err}
	}
	cfg, err = scenarios.Load(name, src)
	if err != nil {
		return "", nil, cfg, &inputError{err}
	}
	return name, src, cfg, nil
}
