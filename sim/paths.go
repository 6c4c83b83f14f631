package sim

import "strings"

// Paths lists every path that Set accepts for c, in the order of Params:
// the scenario's parameters (and seed, name, description,
// diffusion.mixing and diffusion.ties), then regions.<id>.<name> for each
// region, cities.<id>.<name> for each city and links.<id>.<name> for each
// link. numeric leaves out the paths that take text and seed, which
// sweeps and policies cannot change. Shell completion offers these paths.
func (c *Config) Paths(numeric bool) []string {
	var ps []string
	if !numeric {
		ps = append(ps, "seed", "name", "description")
	}
	for _, p := range Params {
		if p.Scope == ScopeScenario {
			ps = append(ps, p.Name)
		}
	}
	if !numeric {
		ps = append(ps, "diffusion.mixing", "diffusion.ties")
	}
	add := func(scope Scope, prefix, id string) {
		for _, p := range Params {
			if p.Scope == scope {
				ps = append(ps, prefix+"."+id+"."+p.Name)
			}
		}
	}
	for _, r := range c.Regions {
		add(ScopeRegion, "regions", r.ID)
	}
	for _, r := range c.Regions {
		for _, ct := range r.Cities {
			add(ScopeCity, "cities", ct.ID)
		}
	}
	for _, l := range c.Links {
		add(ScopeLink, "links", l.ID())
	}
	return ps
}

// didYouMean returns "; did you mean X?" for the path of c closest to
// path by edit distance, or "" when none is close enough to be a typo.
func (c *Config) didYouMean(path string) string {
	if s := Closest(path, c.Paths(false), 2); s != "" {
		return "; did you mean " + s + "?"
	}
	return ""
}

// Closest returns the candidate nearest to word by edit distance when it
// is at most maxEdits edits away, or "". Ties go to the first.
func Closest(word string, candidates []string, maxEdits int) string {
	best, bestD := "", maxEdits+1
	for _, c := range candidates {
		if d := editDistance(word, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, counting a
// swap of two neighbouring characters as one edit (so "rnu" is one from
// "run").
func editDistance(a, b string) int {
	if strings.EqualFold(a, b) {
		return 0
	}
	ra, rb := []rune(a), []rune(b)
	// prev2, prev and cur are three rows of the table.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
