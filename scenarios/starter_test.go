package scenarios

import (
	"bytes"
	"strings"
	"testing"
)

func TestStarterLoadsAndIsRecognized(t *testing.T) {
	for _, name := range []string{"a", "my-region_2", "a-much-longer-name-than-three-hubs-has"} {
		src, err := Starter(name, name+".yaml")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cfg, err := Load(name+".yaml", src)
		if err != nil || cfg.Name != name {
			t.Errorf("%s: loads as %q, %v", name, cfg.Name, err)
		}
		if !IsStarter(bytes.NewReader(src)) {
			t.Errorf("%s: IsStarter false for a starter", name)
		}
	}
	src, _ := Source(StarterBase)
	for _, c := range []struct {
		text string
		want bool
	}{
		{string(src), false},
		{"", false},
		{"# x: a triad scenario, started from a copy of the built-in three-hubs.\r\nname: x\n", true},
		{"# : a triad scenario, started from a copy of the built-in three-hubs.\n", false},
	} {
		if got := IsStarter(strings.NewReader(c.text)); got != c.want {
			t.Errorf("IsStarter(%.40q) = %v, want %v", c.text, got, c.want)
		}
	}
}
