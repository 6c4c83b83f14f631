package sim

import (
	"slices"
	"testing"
)

// TestDrawContactsDrawsAsContact checks the contacts of a model, drawn a
// segment at a time by drawContacts, against contact called once per
// contact from the same streams: cities of several firms and of one or
// two (whose own-city draws fall back to other cities or to any firm),
// one and several cities per region, k = 8 and another k.
func TestDrawContactsDrawsAsContact(t *testing.T) {
	tiny := func() Config {
		c := oneCityRegions("tiny", 9, 5, 0.3, 0.01, 0.3, 0.5, 1, 2, 700, 3)
		c.Regions[2].Cities = append(c.Regions[2].Cities, NewCity())
		c.Regions[2].Cities[1].ID, c.Regions[2].Cities[1].Firms = "second", 5000
		return c
	}
	cases := []struct {
		name string
		cfg  Config
	}{
		{"toy", toyConfig()},
		{"toy, k = 5, directed", func() Config {
			c := toyConfig()
			c.Diffusion.K, c.Diffusion.Ties = 5, TiesDirected
			return c
		}()},
		{"one city per region", oneCityRegions("one", 3, 5, 0.3, 0.01, 0.2, 0.01, 9000, 4100, 300)},
		{"cities of one and two firms", tiny()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustValid(t, tc.cfg)
			m := newModel(&c, 4, 2)
			want := make([]int32, m.n*m.k)
			for b := range m.blocks {
				r := stream(m.seed, purposeContacts, 0, b)
				for _, s := range m.blocks[b] {
					for i := s.lo; i < s.hi; i++ {
						for ct := range m.k {
							want[i*m.k+ct] = contact(&r, m.contactThr[s.city], m.cityStart, i, s.city)
						}
					}
				}
			}
			if !slices.Equal(m.contacts, want) {
				t.Error("drawContacts drew other contacts than contact")
			}
		})
	}
}
