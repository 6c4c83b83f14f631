package chart

import (
	"bytes"
	"hash/adler32"
	"image"
	"image/color"
	"image/png"
	"runtime"
	"testing"
)

// TestEncodePNG checks the chart encoder: the file decodes, with Go's own
// decoder, to the very pixels drawn, for images of a few sizes (fewer rows
// than bands among them); its bytes are the same on one processor and on
// several; an image that is not opaque is written by Go's encoder.
func TestEncodePNG(t *testing.T) {
	for _, tc := range []struct {
		name   string
		w, h   int
		opaque bool
	}{
		{"chart-sized", 640, 401, true},
		{"fewer rows than bands", 37, 5, true},
		{"one pixel", 1, 1, true},
		{"not opaque", 50, 30, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := image.NewRGBA(image.Rect(0, 0, tc.w, tc.h))
			for y := range tc.h {
				for x := range tc.w {
					c := color.RGBA{uint8(x * 7), uint8(y * 13), uint8((x ^ y) * 3), 0xff}
					if (x/9+y/5)%3 == 0 {
						c = color.RGBA{0xff, 0xff, 0xff, 0xff} // flat runs, as in a chart
					}
					if !tc.opaque && x == y {
						c = color.RGBA{0x10, 0x20, 0x30, 0x80}
					}
					img.SetRGBA(x, y, c)
				}
			}
			var many, one bytes.Buffer
			if err := encodePNG(&many, img); err != nil {
				t.Fatal(err)
			}
			prev := runtime.GOMAXPROCS(1)
			err := encodePNG(&one, img)
			runtime.GOMAXPROCS(prev)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(many.Bytes(), one.Bytes()) {
				t.Error("different bytes on one processor and on several")
			}
			if !tc.opaque {
				var want bytes.Buffer
				if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&want, img); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(many.Bytes(), want.Bytes()) {
					t.Error("an image that is not opaque was not written by Go's encoder")
				}
				return
			}
			got, err := png.Decode(bytes.NewReader(many.Bytes()))
			if err != nil {
				t.Fatalf("Go's decoder cannot read it: %v", err)
			}
			if got.Bounds() != img.Bounds() {
				t.Fatalf("bounds %v, want %v", got.Bounds(), img.Bounds())
			}
			for y := range tc.h {
				for x := range tc.w {
					if g, w := color.RGBAModel.Convert(got.At(x, y)), img.RGBAAt(x, y); g != w {
						t.Fatalf("pixel (%d, %d) is %v, want %v", x, y, g, w)
					}
				}
			}
		})
	}
}

// TestAdler32Combine checks the checksum of two pieces put together
// against that of their concatenation, for pieces longer than the
// checksum's modulus among them.
func TestAdler32Combine(t *testing.T) {
	data := make([]byte, 200_000)
	for i := range data {
		data[i] = byte(i*31 + i/7)
	}
	for _, cut := range [][2]int{{0, 0}, {0, 10}, {10, 0}, {1, 1}, {70_000, 130_000}, {65_521, 65_521}, {199_999, 1}} {
		a, b := data[:cut[0]], data[cut[0]:cut[0]+cut[1]]
		want := adler32.Checksum(data[:cut[0]+cut[1]])
		if got := adler32Combine(adler32.Checksum(a), adler32.Checksum(b), len(b)); got != want {
			t.Errorf("pieces of %d and %d bytes: %08x, want %08x", len(a), len(b), got, want)
		}
	}
}
