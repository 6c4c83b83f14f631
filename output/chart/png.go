package chart

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"sync"
)

// pngBands is the number of bands of rows a PNG chart is compressed in,
// each on a goroutine of its own. It is fixed, never the number of
// processors, so that a chart has the same bytes on any machine.
const pngBands = 4

// images and compressors are kept for the next chart: a chart's image is
// megabytes that a new one would zero, a compressor half a megabyte of
// tables. vgimg paints an image white before drawing into it, and Reset
// makes a compressor as new, so what they held never shows.
var (
	images      sync.Pool // of *image.RGBA
	compressors sync.Pool // of *flate.Writer, at flate.BestSpeed
)

// newImage returns an RGBA image of w × h pixels, kept or new.
func newImage(w, h int) *image.RGBA {
	if img, ok := images.Get().(*image.RGBA); ok && img.Rect.Dx() == w && img.Rect.Dy() == h {
		return img
	}
	return image.NewRGBA(image.Rect(0, 0, w, h))
}

// encodePNG writes img as a PNG file. A chart is opaque (vgimg paints it
// white before drawing), so it is written as 8-bit RGB, each row with the
// "up" filter (the difference from the row above: a chart's flat colours
// and horizontal lines make long runs of zeros), and its rows are
// compressed in pngBands bands at once, as pigz does: each band is a
// deflate stream of its own, ended by a sync flush but the last, and the
// streams one after the other are one valid stream (no back-reference
// crosses a band). Go's encoder tries five filters per row and compresses
// on one goroutine. The pixels are the same, the file 1 to 27 % larger
// (measured on the charts of three-hubs; Paeth's filter, tried, gave
// files as small as Go's for some charts and larger for others, and is
// slower). An image with a pixel that is not opaque is left to Go's
// encoder.
func encodePNG(w io.Writer, img *image.RGBA) error {
	if !opaque(img) {
		bw := bufio.NewWriter(w)
		if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(bw, img); err != nil {
			return err
		}
		return bw.Flush()
	}
	b := img.Bounds()
	width, height := b.Dx(), b.Dy()
	type band struct {
		z      bytes.Buffer
		adler  uint32
		length int // uncompressed bytes
		err    error
	}
	bands := make([]band, pngBands)
	var wg sync.WaitGroup
	for k := range bands {
		wg.Go(func() {
			bd := &bands[k]
			y0, y1 := b.Min.Y+k*height/pngBands, b.Min.Y+(k+1)*height/pngBands
			fw, ok := compressors.Get().(*flate.Writer)
			if ok {
				fw.Reset(&bd.z)
			} else {
				var err error
				if fw, err = flate.NewWriter(&bd.z, flate.BestSpeed); err != nil {
					bd.err = err
					return
				}
			}
			defer compressors.Put(fw)
			ad := adler32.New()
			row := make([]byte, 1+3*width)
			row[0] = 2 // the "up" filter
			for y := y0; y < y1; y++ {
				cur := img.Pix[img.PixOffset(b.Min.X, y):][:4*width]
				var up []byte
				if y > b.Min.Y {
					up = img.Pix[img.PixOffset(b.Min.X, y-1):][:4*width]
				}
				filterUp(row[1:], cur, up)
				if _, err := fw.Write(row); err != nil {
					bd.err = err
					return
				}
				ad.Write(row)
				bd.length += len(row)
			}
			if k < pngBands-1 {
				bd.err = fw.Flush()
			} else {
				bd.err = fw.Close()
			}
			bd.adler = ad.Sum32()
		})
	}
	wg.Wait()
	sum := uint32(1) // the Adler-32 of nothing
	size := 2 + 4    // zlib header and checksum
	for k := range bands {
		if bands[k].err != nil {
			return bands[k].err
		}
		sum = adler32Combine(sum, bands[k].adler, bands[k].length)
		size += bands[k].z.Len()
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(width))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(height))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits per sample, RGB; compression, filter and interlace methods 0
	writeChunk(bw, "IHDR", ihdr[:])
	// One IDAT chunk: its length, then the zlib stream (header 0x78 0x01:
	// deflate with a 32 KiB window, fastest level), then its CRC.
	var head [8]byte
	binary.BigEndian.PutUint32(head[:4], uint32(size))
	copy(head[4:], "IDAT")
	bw.Write(head[:])
	crc := crc32.NewIEEE()
	crc.Write(head[4:])
	zw := io.MultiWriter(bw, crc)
	zw.Write([]byte{0x78, 0x01})
	for k := range bands {
		zw.Write(bands[k].z.Bytes())
	}
	var tail [4]byte
	binary.BigEndian.PutUint32(tail[:], sum)
	zw.Write(tail[:])
	binary.BigEndian.PutUint32(tail[:], crc.Sum32())
	bw.Write(tail[:])
	writeChunk(bw, "IEND", nil)
	return bw.Flush()
}

// filterUp sets dst, a row of RGB bytes, to the RGB of cur, a row of RGBA
// pixels, less that of up, the row above (nil for the first row).
func filterUp(dst, cur, up []byte) {
	for x := 0; x < len(cur)/4; x++ {
		c := cur[4*x : 4*x+3 : 4*x+3]
		d := dst[3*x : 3*x+3 : 3*x+3]
		if up == nil {
			d[0], d[1], d[2] = c[0], c[1], c[2]
			continue
		}
		u := up[4*x : 4*x+3 : 4*x+3]
		d[0], d[1], d[2] = c[0]-u[0], c[1]-u[1], c[2]-u[2]
	}
}

// opaque reports whether every pixel of img has alpha 255.
func opaque(img *image.RGBA) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, y):][:4*b.Dx()]
		for i := 3; i < len(row); i += 4 {
			if row[i] != 0xff {
				return false
			}
		}
	}
	return true
}

// writeChunk writes a PNG chunk: length, type, data and CRC. Errors stay
// in w (a bufio.Writer), which its Flush reports.
func writeChunk(w *bufio.Writer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	w.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	w.WriteString(typ)
	w.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	w.Write(n[:])
}

// adler32Combine returns the Adler-32 checksum of a followed by b, from
// their checksums and b's length (zlib's adler32_combine).
func adler32Combine(a, b uint32, lenB int) uint32 {
	const mod = 65521
	rem := uint64(lenB % mod)
	s1a, s2a := uint64(a&0xffff), uint64(a>>16)
	s1b, s2b := uint64(b&0xffff), uint64(b>>16)
	s1 := (s1a + s1b + mod - 1) % mod
	s2 := (s2a + s2b + rem*s1a + mod - rem) % mod
	return uint32(s2<<16 | s1)
}
