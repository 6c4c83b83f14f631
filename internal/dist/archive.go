package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"
)

// An entry is a file of an archive.
type entry struct {
	Name string      // its name in the archive's folder
	Src  string      // the file to read
	Mode fs.FileMode // its permission bits: 0o755 or 0o644
}

// writeArchive writes files into path, in the folder dir: a zip file when
// path ends in .zip, else a gzipped tar file. Only the files' contents are
// read: every entry has the time mod, owner and group 0 and its own Mode,
// and entries are in name order, so that the same contents always give the
// same bytes, whoever packs them, when and from which checkout.
func writeArchive(path, dir string, files []entry, mod time.Time) error {
	files = slices.Clone(files)
	slices.SortFunc(files, func(a, b entry) int { return strings.Compare(a.Name, b.Name) })
	for i := 1; i < len(files); i++ {
		if files[i].Name == files[i-1].Name {
			return fmt.Errorf("%s: %s twice", path, files[i].Name)
		}
	}
	mod = mod.UTC().Truncate(time.Second)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if strings.HasSuffix(path, ".zip") {
		err = writeZip(f, dir, files, mod)
	} else {
		err = writeTarGz(f, dir, files, mod)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

func writeTarGz(w io.Writer, dir string, files []entry, mod time.Time) error {
	// gzip's header holds no name and a zero time.
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	for _, e := range files {
		b, err := os.ReadFile(e.Src)
		if err != nil {
			return err
		}
		hdr := &tar.Header{
			Typeflag: tar.TypeReg,
			Name:     dir + "/" + e.Name,
			Size:     int64(len(b)),
			Mode:     int64(e.Mode.Perm()),
			ModTime:  mod,
			Format:   tar.FormatUSTAR,
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(b); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func writeZip(w io.Writer, dir string, files []entry, mod time.Time) error {
	zw := zip.NewWriter(w)
	for _, e := range files {
		b, err := os.ReadFile(e.Src)
		if err != nil {
			return err
		}
		hdr := &zip.FileHeader{Name: dir + "/" + e.Name, Method: zip.Deflate, Modified: mod}
		hdr.SetMode(e.Mode.Perm())
		fw, err := zw.CreateHeader(hdr)
		if err != nil {
			return err
		}
		if _, err := fw.Write(b); err != nil {
			return err
		}
	}
	return zw.Close()
}
