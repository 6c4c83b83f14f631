package output

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// The headings that open the Markdown report of a check that passed and
// of one that failed, before the scenario's name.
const (
	mdPassed = "### ✅ triad check passed: "
	mdFailed = "### ❌ triad check failed: "
)

// WriteCheckMarkdown writes the verdict as short Markdown for a pull
// request comment or a CI job summary: the verdict first, then a table of
// the metrics that failed, then every metric in a collapsed table.
func WriteCheckMarkdown(w io.Writer, res CheckResult, rep CheckReport) error {
	var b strings.Builder
	n := len(res.Rows)
	if res.Failed == 0 {
		fmt.Fprintf(&b, "%s%s\n\n", mdPassed, mdText(rep.Scenario))
		fmt.Fprintf(&b, "All %d metrics are within their limits against `%s`.\n\n", n, mdCode(rep.Baseline))
	} else {
		fmt.Fprintf(&b, "%s%s\n\n", mdFailed, mdText(rep.Scenario))
		fmt.Fprintf(&b, "%d of %d metrics moved beyond their limits against `%s`.\n\n", res.Failed, n, mdCode(rep.Baseline))
		b.WriteString("| metric | baseline | now | delta | limit | why |\n| --- | ---: | ---: | ---: | ---: | --- |\n")
		for _, r := range res.Rows {
			if r.OK {
				continue
			}
			why := "moved beyond the limit"
			if r.Why != "" {
				why = r.Why
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdText(CheckCaseName(r)), num(r.Baseline), num(r.Now), signed(r.Delta), num(r.Limit), mdText(why))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Limits hold the whole check to a false-alarm rate of %g (%.2g per metric, two-sided); the check took %.1f s.\n\n", res.FalseAlarm, res.PerMetric, rep.Seconds)
	fmt.Fprintf(&b, "<details><summary>All %d metrics</summary>\n\n", n)
	b.WriteString("| metric | baseline | now | delta | limit | result |\n| --- | ---: | ---: | ---: | ---: | --- |\n")
	for _, r := range res.Rows {
		verdict := "ok"
		if !r.OK {
			verdict = "**FAIL**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdText(CheckCaseName(r)), num(r.Baseline), num(r.Now), signed(r.Delta), num(r.Limit), verdict)
	}
	b.WriteString("\n</details>\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// IsCheckMarkdown reports whether r holds a report that
// WriteCheckMarkdown wrote: its first line is the heading of a check that
// passed or failed.
func IsCheckMarkdown(r io.Reader) bool {
	line, _ := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	return strings.HasPrefix(line, mdPassed) || strings.HasPrefix(line, mdFailed)
}

// mdText escapes what Markdown or HTML would read into a table cell or
// heading: pipes, brackets, angle brackets and the like, and line breaks.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '|', '*', '_', '[', ']', '<', '>', '`', '#', '&':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n', '\r':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode makes s safe inside a code span on one line.
func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "\n", " ", "\r", " ").Replace(s)
}
