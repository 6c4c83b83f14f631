package sim

import (
	"reflect"
	"slices"
	"testing"
)

// TestPushedTrialsMatchTheGeneralOnes checks the trials that read the
// signals pushed by adopters (trialsPushed for several innovations, signals
// for one) against the general path that reads every firm's ties
// (trialsRows, signals): the same adoptions at every step, and a table kept up to
// date by pushes equal to one built afresh from the adoption rows, with
// friction (weighted ties) and without (weights all 1), through rows that
// widen past one word and slots freed when every firm has adopted.
func TestPushedTrialsMatchTheGeneralOnes(t *testing.T) {
	cases := []struct {
		name     string
		edit     func(c *Config)
		wantWide bool // more than 64 innovations at once
	}{
		{"friction", func(c *Config) {}, false},
		{"weights all 1", func(c *Config) {
			c.DefaultLink.Friction = 0
			for l := range c.Links {
				c.Links[l].Friction = 0
			}
		}, false},
		{"over 64 innovations", func(c *Config) {
			c.Steps = 60
			for r := range c.Regions {
				for ct := range c.Regions[r].Cities {
					c.Regions[r].Cities[ct].Research = min(1, 10*c.Regions[r].Cities[ct].Research)
				}
			}
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.wantWide && testing.Short() {
				t.Skip("60 steps of over 64 innovations, checked at every step: the pass without -short runs it")
			}
			c := toyConfig()
			c.Diffusion.Ties, c.Diffusion.Q = TiesReciprocal, 0.9
			for r := range c.Regions { // early innovations reach every firm and free their slots
				c.Regions[r].P = 0.03
			}
			tc.edit(&c)
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			m := newModel(&c, 7, 3) // pushes and builds in 3 parts
			checked, freed, wide := 0, 0, false
			// Checks run before a phase of the real step (stepPhases, as
			// advance runs them): the pushed signals before the trials,
			// the freed slots before record frees them.
			before := map[string]func(step int){
				"diffuse": func(step int) {
					if len(m.active) == 0 || !m.usePush() {
						return
					}
					m.classify()
					m.needRev()
					if m.pushed == nil {
						m.buildPushed()
					}
					kept := m.pushed
					m.buildPushed()
					fresh := m.pushed
					for s, x := range m.adoption.slots {
						if x >= 0 && !slices.Equal(kept.sig[s], fresh.sig[s]) {
							t.Fatalf("step %d, slot %d: the pushed signals differ from the ties' rows", step, s)
						}
					}
					if !slices.Equal(kept.seen.bits, fresh.seen.bits) {
						t.Fatalf("step %d: the pushed adopted-tie bits differ from the ties' rows", step)
					}
					m.pushed = kept
					pushedLists := trialLists(m, step)
					m.pushed = nil
					general := trialLists(m, step)
					m.pushed = kept
					if !reflect.DeepEqual(pushedLists, general) {
						t.Fatalf("step %d: the pushed and the general trials adopted differently", step)
					}
					checked++
					wide = wide || m.adoption.lb > 6
				},
				"record": func(int) {
					for _, x := range m.active {
						if m.inns[x].total == m.n {
							freed++
						}
					}
				},
			}
			for step := range c.Steps {
				rows, hooked := m.stepRows(step), 0
				for _, p := range stepPhases {
					if f := before[p.name]; f != nil {
						f(step)
						hooked++
					}
					p.run(m, step, rows)
				}
				if hooked != len(before) {
					t.Fatalf("the step has no phase named by a check (%d of %d found)", hooked, len(before))
				}
			}
			if checked < c.Steps/2 {
				t.Errorf("the pushed trials ran at only %d of %d steps", checked, c.Steps)
			}
			if freed == 0 {
				t.Error("no slot was freed: the test does not cover freeing")
			}
			if wide != tc.wantWide {
				t.Errorf("rows wider than a word: %v, want %v", wide, tc.wantWide)
			}
		})
	}
}
