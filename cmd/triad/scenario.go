package main

import (
	"os"

	"triad/scenarios"
	"triad/sim"
)

// loadScenario reads and checks the scenario a command-line argument names:
// a file if one exists at that path, else a built-in scenario. large lifts
// the caps on its size.
func loadScenario(arg string, large bool) (name string, src []byte, cfg sim.Config, err error) {
	name, src, err = scenarios.Resolve(arg, os.ReadFile)
	if err != nil {
		return "", nil, cfg, &inputError{err}
	}
	cfg, err = scenarios.LoadCapped(name, src, caps(large))
	if err != nil {
		return "", nil, cfg, &inputError{err}
	}
	return name, src, cfg, nil
}

// caps are the scenario size caps, lifted by --allow-large.
func caps(large bool) scenarios.Caps {
	if large {
		return scenarios.NoCaps
	}
	return scenarios.DefaultCaps
}

// allowLargeUsage is the help of the --allow-large flag.
const allowLargeUsage = "lift the caps on firms, labs, steps, replicates and runs that guard against typos"
