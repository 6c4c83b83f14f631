package runs

import "testing"

func TestLackWhat(t *testing.T) {
	for _, c := range []struct {
		lack Lack
		want string
	}{
		{Lack{Runs: 1}, "1 run file(s)"},
		{Lack{Runs: 3, Outputs: []string{"report.html"}}, "3 run file(s)"},
		{Lack{Outputs: []string{"report.html"}}, "report.html"},
		{Lack{Outputs: []string{"plots/adoption.png", "summary.csv"}}, "plots/adoption.png, summary.csv"},
	} {
		if got := c.lack.What(); got != c.want {
			t.Errorf("%+v.What() = %q, want %q", c.lack, got, c.want)
		}
	}
}
