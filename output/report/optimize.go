package report

// Optimize is an optimization's section (triad optimize): what was
// searched, the honest answer in words, the re-run allocations as a
// table, and notes; the command words them, the report lays them out.
type Optimize struct {
	// Lede says what was searched; Answer the chosen allocation's effect
	// from the fresh runs, and the winner's curse.
	Lede, Answer string
	// Head and Rows are the table of the re-run allocations, the
	// scenario as it is first.
	Head []string
	Rows [][]string
	// Notes explain the method and the figures.
	Notes []string
}

// optimizeView is the section with its charts (those named optimize-*).
type optimizeView struct {
	*Optimize
	Plots []plotView
}

// optimizePlotText titles and explains an optimization's chart by name.
func optimizePlotText(name string) (title, caption string) {
	switch name {
	case "optimize-progress":
		return "The search, round by round", "Each dot is a candidate allocation's mean over the round's runs (all on the same seeds), at the runs the search had used when the round ended; the line follows each round's best. " +
			"Rounds keep the best third and double the runs; then the lattice of shares is refined around the leaders."
	case "optimize-allocation":
		return "How the re-run allocations share the budget", "One bar per allocation re-run on fresh seeds, the chosen one first; each colour is a lever's share of the budget."
	case "optimize-front":
		return "The trade-off between the two objectives", "The Pareto front of the search, re-run on fresh seeds: each point an allocation at its two means with their 95 % intervals, the square the scenario as it is."
	}
	return name, ""
}
