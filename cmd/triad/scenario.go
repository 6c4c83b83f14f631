package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"triad/scenarios"
	"triad/sim"
)

// scenarioArg reads a scenario named on the command line: a file if one
// exists at that path, otherwise a built-in scenario of that name.
func scenarioArg(arg string) (name string, src []byte, err error) {
	st, statErr := os.Stat(arg)
	if statErr == nil && !st.IsDir() {
		src, err := os.ReadFile(arg)
		if err != nil {
			return "", nil, &inputError{fmt.Errorf("read scenario: %w", err)}
		}
		return arg, src, nil
	}
	if src, err := scenarios.Source(arg); err == nil {
		return arg + ".yaml", src, nil
	}
	if statErr != nil && !errors.Is(statErr, fs.ErrNotExist) {
		return "", nil, &inputError{fmt.Errorf("read scenario: %w", statErr)}
	}
	var names []string
	for _, in := range scenarios.List() {
		names = append(names, in.Name)
	}
	return "", nil, &inputError{fmt.Errorf("%s: no such file and no built-in scenario of that name (built-ins: %s)", arg, strings.Join(names, ", "))}
}

// loadScenario reads and checks a scenario.
func loadScenario(arg string) (name string, src []byte, cfg sim.Config, err error) {
	name, src, err = scenarioArg(arg)
	if err != nil {
		return "", nil, cfg, err
	}
	cfg, err = scenarios.Load(name, src)
	if err != nil {
		return "", nil, cfg, &inputError{err}
	}
	return name, src, cfg, nil
}

// applySets applies --set PATH=VALUE overrides and checks the result.
func applySets(cfg *sim.Config, sets []string) error {
	var problems []string
	for _, s := range sets {
		path, value, ok := strings.Cut(s, "=")
		if !ok || path == "" {
			problems = append(problems, fmt.Sprintf("--set %s: want PATH=VALUE", s))
			continue
		}
		if err := cfg.Set(strings.TrimSpace(path), strings.TrimSpace(value)); err != nil {
			problems = append(problems, fmt.Sprintf("--set %s: %v", s, strings.TrimPrefix(err.Error(), strings.TrimSpace(path)+": ")))
		}
	}
	if len(problems) > 0 {
		return &inputError{errors.New(strings.Join(problems, "\n"))}
	}
	return nil
}
