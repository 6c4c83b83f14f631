package sim_test

import (
	"context"
	"fmt"

	"github.com/triad-sim/triad/sim"
)

// ExampleRun builds a five-region scenario in code, runs it and prints each
// region's adoption share every ten steps (replicate 0).
func ExampleRun() {
	cfg := sim.NewConfig()
	cfg.Name, cfg.Seed, cfg.Steps, cfg.Replicates = "example", 3, 40, 2
	cfg.Diffusion.Q = 0.4
	cfg.Transfer.Attempts = 2
	cfg.DefaultLink = sim.LinkParams{Friction: 0.3, Coupling: 0.5}
	region := func(id string, p, reach, pull float64, labs, firms int, research, transform float64) sim.Region {
		r := sim.NewRegion()
		r.ID, r.P, r.Reach, r.Pull = id, p, reach, pull
		c := sim.NewCity()
		c.ID, c.Labs, c.Firms, c.Research, c.Transform = id+"-city", labs, firms, research, transform
		c.Capability = sim.Capability{Mean: 0.6, Spread: 0.2}
		r.Cities = []sim.City{c}
		return r
	}
	cfg.Regions = []sim.Region{
		region("source", 0.002, 0.1, 1, 20, 300, 0.05, 0.2),
		region("accelerator", 0.003, 0.15, 3, 2, 400, 0.02, 0.6),
		region("connector", 0.002, 0.5, 1.5, 2, 300, 0.02, 0.3),
		region("east", 0.001, 0.1, 0.5, 1, 300, 0.01, 0.1),
		region("west", 0.001, 0.1, 0.5, 1, 300, 0.01, 0.1),
	}
	if err := cfg.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	res, err := sim.Run(context.Background(), cfg, sim.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("step", res.Regions)
	run := res.Runs[0]
	for step := 9; step < cfg.Steps; step += 10 {
		fmt.Printf("%4d", step)
		for r := range res.Regions {
			fmt.Printf(" %.2f", run.Rows[step*len(res.Regions)+r].AdoptionShare)
		}
		fmt.Println()
	}
	// Output:
	// step [source accelerator connector east west]
	//    9 0.01 0.02 0.01 0.01 0.00
	//   19 0.05 0.09 0.04 0.05 0.04
	//   29 0.17 0.21 0.13 0.15 0.14
	//   39 0.29 0.31 0.23 0.26 0.25
}
