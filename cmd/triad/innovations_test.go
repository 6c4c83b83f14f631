package main

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
)

// readCSVRows reads a CSV file (readCSV) into maps from header to value.
func readCSVRows(t *testing.T, path string) []map[string]string {
	t.Helper()
	recs := readCSV(t, path)
	var rows []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

// kmMedian is a plain Kaplan–Meier median written for this test, apart
// from the model's: times with an event flag, survival stepping down at
// each distinct event time by (1 − events/at risk), censored times at risk
// up to and including their time.
func kmMedian(times []int, events []bool) float64 {
	type obs struct {
		t     int
		event bool
	}
	var os []obs
	for i := range times {
		os = append(os, obs{times[i], events[i]})
	}
	sort.Slice(os, func(a, b int) bool { return os[a].t < os[b].t })
	s := 1.0
	for i := 0; i < len(os); {
		j, d := i, 0
		for j < len(os) && os[j].t == os[i].t {
			if os[j].event {
				d++
			}
			j++
		}
		s *= 1 - float64(d)/float64(len(os)-i)
		if d > 0 && s <= 0.5 {
			return float64(os[i].t)
		}
		i = j
	}
	return math.NaN()
}

// TestInnovationLogRecomputesTheCohortFigures runs three-hubs and
// recomputes, from innovations.csv alone, what a student would: per run,
// the commercialization rate of settled breakthroughs, adoption at ages 24
// and 60, t50 with the share that got there, and the Kaplan–Meier t50 per
// region. Each must equal the figure in runs.csv.
func TestInnovationLogRecomputesTheCohortFigures(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	mustCLI(t, 0, "run", "three-hubs", "--quiet", "--replications", "3", "--out", out)
	const steps, maxPending = 120, 60
	regions := []string{"bth", "gba", "yrd", "central", "west"}
	want := map[string]float64{} // "replicate/metric/region"
	for _, row := range readCSVRows(t, filepath.Join(out, "runs.csv")) {
		v, _ := strconv.ParseFloat(row["value"], 64)
		want[row["replicate"]+"/"+row["metric"]+"/"+row["region"]] = v
	}
	type acc struct {
		settled, comm    int
		atAge            map[string][]float64
		t50              map[string][]int
		times            map[string][]int
		events           map[string][]bool
		commercializedBy int
	}
	runs := map[string]*acc{}
	for _, row := range readCSVRows(t, filepath.Join(out, "innovations.csv")) {
		a := runs[row["replicate"]]
		if a == nil {
			a = &acc{atAge: map[string][]float64{}, t50: map[string][]int{}, times: map[string][]int{}, events: map[string][]bool{}}
			runs[row["replicate"]] = a
		}
		disc, _ := strconv.Atoi(row["discovered"])
		if disc >= 0 && disc+maxPending-1 <= steps-1 {
			a.settled++
			if row["fate"] == "commercialized" {
				a.comm++
			}
		}
		if row["fate"] != "commercialized" {
			continue
		}
		a.commercializedBy++
		comm, _ := strconv.Atoi(row["fate_step"])
		for _, r := range regions {
			for _, age := range []int{24, 60} {
				if v := row[fmt.Sprintf("%s_adoption_at_%d", r, age)]; v != "" {
					x, _ := strconv.ParseFloat(v, 64)
					key := fmt.Sprintf("%s/%d", r, age)
					a.atAge[key] = append(a.atAge[key], x)
				}
			}
			if v := row[r+"_reached50"]; v != "" {
				at, _ := strconv.Atoi(v)
				a.t50[r] = append(a.t50[r], at-comm)
				a.times[r], a.events[r] = append(a.times[r], at-comm), append(a.events[r], true)
			} else {
				a.times[r], a.events[r] = append(a.times[r], steps-1-comm), append(a.events[r], false)
			}
		}
	}
	if len(runs) != 3 {
		t.Fatalf("innovations.csv holds %d runs, want 3", len(runs))
	}
	mean := func(xs []float64) float64 {
		if len(xs) == 0 {
			return math.NaN()
		}
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	check := func(rep, metric, region string, got float64) {
		t.Helper()
		w := want[rep+"/"+metric+"/"+region]
		if !(math.Abs(got-w) <= 1e-12*math.Max(1, math.Abs(w)) || (math.IsNaN(got) && math.IsNaN(w))) {
			t.Errorf("replicate %s %s %s: recomputed %v, runs.csv says %v", rep, metric, region, got, w)
		}
	}
	for rep, a := range runs {
		check(rep, "commercialization_rate", "", float64(a.comm)/float64(a.settled))
		for _, r := range regions {
			check(rep, "adoption_at_24", r, mean(a.atAge[r+"/24"]))
			check(rep, "adoption_at_60", r, mean(a.atAge[r+"/60"]))
			var t50 []float64
			for _, x := range a.t50[r] {
				t50 = append(t50, float64(x))
			}
			check(rep, "t50", r, mean(t50))
			check(rep, "reached50_share", r, float64(len(a.t50[r]))/float64(a.commercializedBy))
			check(rep, "t50_km", r, kmMedian(a.times[r], a.events[r]))
		}
	}
}
