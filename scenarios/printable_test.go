package scenarios

import (
	"bytes"
	"testing"
)

// TestPrintableWriterKeepsCharactersCutBetweenWrites holds that a
// character written in two parts comes out whole, not as two invalid
// bytes escaped, and that control characters are escaped.
func TestPrintableWriterKeepsCharactersCutBetweenWrites(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"Beijing–Tianjin–Hebei 北京 \x1b[2J", `Beijing–Tianjin–Hebei 北京 \x1b[2J`},
		{"a\tb\nc\u202e", "a\tb\nc\\u202e"},
		{"cut at the end \xe5\x8c", `cut at the end \ufffd\ufffd`},
	} {
		var b bytes.Buffer
		w := &PrintableWriter{W: &b}
		for i := range len(tc.text) {
			if _, err := w.Write([]byte(tc.text[i : i+1])); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if got := b.String(); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.text, got, tc.want)
		}
	}
}
