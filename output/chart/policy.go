package chart

import (
	"cmp"
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/triad-sim/triad/sim"
)

// policyMark is one timed policy on a time chart: a vertical line at step
// At and the label Name above the data area, in label row Row (0 is the row
// nearest the data; labels that would overlap go to higher rows).
type policyMark struct {
	At   float64
	Name string
	Row  int
}

// policyLine is the style of a policy's vertical line: thin, grey and
// dashed, so that it stays behind the data.
var policyLine = draw.LineStyle{
	Color:  color.Gray{Y: 0x80},
	Width:  vg.Points(0.75),
	Dashes: []vg.Length{vg.Points(3), vg.Points(2)},
}

// policyText is the style of a policy's label.
var policyText = text.Style{
	Color:   color.Gray{Y: 0x40},
	Font:    font.From(plot.DefaultFont, 8),
	XAlign:  text.XLeft, // placed by its left edge, see labelSpan
	YAlign:  text.YBottom,
	Handler: plot.DefaultTextHandler,
}

// policyGap is the space between the data area and the first row of
// policy labels, and between rows.
const policyGap vg.Length = 2 // points

// policyDataWidth is the width of the data area of a chart ChartWidth wide
// (less the y axis and the right margin), used to lay out the labels.
const policyDataWidth = ChartWidth - 2*vg.Centimeter

// configMarks returns the marks of cfg's policies on a time axis from xMin
// to xMax, laid out by layoutMarks.
func configMarks(cfg *sim.Config, xMin, xMax float64) []policyMark {
	marks := make([]policyMark, len(cfg.Policies))
	for i, p := range cfg.Policies {
		marks[i] = policyMark{At: float64(p.At), Name: p.Name}
	}
	return layoutMarks(marks, xMin, xMax)
}

// layoutMarks sorts marks by step (then name) and gives each label the
// lowest row where it does not overlap a label already placed, on a data
// area policyDataWidth wide spanning xMin to xMax. A label is centred on
// its line but kept within the data area, as policyPlotter draws it.
func layoutMarks(marks []policyMark, xMin, xMax float64) []policyMark {
	marks = slices.Clone(marks)
	slices.SortStableFunc(marks, func(a, b policyMark) int {
		return cmp.Or(cmp.Compare(a.At, b.At), cmp.Compare(a.Name, b.Name))
	})
	var ends []vg.Length // ends[row] is the right edge of the row's last label
	for i := range marks {
		x := vg.Length(0)
		if xMax > xMin {
			x = vg.Length((marks[i].At - xMin) / (xMax - xMin) * float64(policyDataWidth))
		}
		left, right := labelSpan(x, policyText.Width(marks[i].Name), 0, policyDataWidth)
		row := 0
		for row < len(ends) && left < ends[row]+policyGap {
			row++
		}
		if row == len(ends) {
			ends = append(ends, 0)
		}
		ends[row] = right
		marks[i].Row = row
	}
	return marks
}

// labelSpan returns the left and right edges of a label of width w centred
// on x and shifted as little as needed to lie within [lo, hi] (or starting
// at lo when it is wider).
func labelSpan(x, w, lo, hi vg.Length) (left, right vg.Length) {
	left = x - vg.Length(w/2)
	left = max(min(left, hi-w), lo)
	return left, left + w
}

// addPolicyMarks draws marks on p: a line per mark behind what is added
// later, and the labels in rows between the title and the data area, whose
// room it makes by widening the title's padding. The lines skip the boxes
// that avoid returns, or p's legend when avoid is nil. Call it before
// legendHeadroom, which takes the padding into account.
func addPolicyMarks(p *plot.Plot, marks []policyMark, avoid func(draw.Canvas, *plot.Plot) []vg.Rectangle) {
	if len(marks) == 0 {
		return
	}
	rows := 0
	for _, m := range marks {
		rows = max(rows, m.Row+1)
	}
	p.Title.Padding += vg.Length(vg.Length(rows) * (policyText.Height("X") + policyGap))
	if avoid == nil {
		avoid = func(c draw.Canvas, p *plot.Plot) []vg.Rectangle {
			if b, ok := legendBox(c, &p.Legend); ok {
				return []vg.Rectangle{b}
			}
			return nil
		}
	}
	p.Add(policyPlotter{marks, avoid})
}

// policyPlotter implements plot.Plotter for policy marks. It has no data
// range, so it never changes the axes.
type policyPlotter struct {
	marks []policyMark
	// avoid returns the boxes (legends) that the lines must not cross.
	avoid func(draw.Canvas, *plot.Plot) []vg.Rectangle
}

// Plot draws the lines across the data area, around the boxes to avoid,
// and the labels above it.
func (pp policyPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	h := policyText.Height("X") + policyGap
	boxes := pp.avoid(c, p)
	for _, m := range pp.marks {
		if m.At < p.X.Min || m.At > p.X.Max {
			continue
		}
		x := trX(m.At)
		base := c.Max.Y + policyGap + vg.Length(vg.Length(m.Row)*h)
		for _, seg := range lineSegments(x, c.Min.Y, base-policyGap/2, boxes) {
			c.StrokeLine2(policyLine, x, seg[0], x, seg[1])
		}
		left, _ := labelSpan(x, policyText.Width(m.Name), c.Min.X, c.Max.X)
		c.FillText(policyText, vg.Point{X: left, Y: base}, m.Name)
	}
}

// boxMargin is the space kept between a policy line and a legend.
const boxMargin vg.Length = 3 // points

// lineSegments returns the parts of the vertical line at x from y0 up to y1
// that lie outside the boxes (widened by boxMargin), bottom to top.
func lineSegments(x, y0, y1 vg.Length, boxes []vg.Rectangle) [][2]vg.Length {
	segs := [][2]vg.Length{{y0, y1}}
	for _, b := range boxes {
		if x < b.Min.X-boxMargin || x > b.Max.X+boxMargin {
			continue
		}
		lo, hi := b.Min.Y-boxMargin, b.Max.Y+boxMargin
		var next [][2]vg.Length
		for _, s := range segs {
			if s[0] < lo {
				next = append(next, [2]vg.Length{s[0], min(s[1], lo)})
			}
			if s[1] > hi {
				next = append(next, [2]vg.Length{max(s[0], hi), s[1]})
			}
		}
		segs = next
	}
	return segs
}

// legendBox returns the box that legend l takes when drawn on c, as
// plot.Legend.Draw places it, and false when l has no entries.
func legendBox(c draw.Canvas, l *plot.Legend) (vg.Rectangle, bool) {
	size := l.Rectangle(c).Size()
	if size.Y == 0 {
		return vg.Rectangle{}, false
	}
	var b vg.Rectangle
	if l.Left {
		b.Min.X = c.Min.X + l.XOffs
		b.Max.X = b.Min.X + size.X
	} else {
		b.Max.X = c.Max.X + l.XOffs
		b.Min.X = b.Max.X - size.X
	}
	if l.Top {
		b.Max.Y = c.Max.Y + l.YOffs
		b.Min.Y = b.Max.Y - size.Y - l.TextStyle.FontExtents().Descent
	} else {
		b.Min.Y = c.Min.Y + l.YOffs
		b.Max.Y = b.Min.Y + size.Y
	}
	return b, true
}
