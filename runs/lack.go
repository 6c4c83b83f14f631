package runs

import (
	"fmt"
	"strings"
)

// What says, for a message, what a folder that is not stopped lacks: its
// missing run files, counted ("2 run file(s)"), or, when it has every one,
// the outputs it lacks, by name.
func (l Lack) What() string {
	if l.Runs == 0 {
		return strings.Join(l.Outputs, ", ")
	}
	return fmt.Sprintf("%d run file(s)", l.Runs)
}
