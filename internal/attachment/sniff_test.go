package attachment

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"strings"
	"testing"

	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/apierr"
	"pageinbox/internal/blob"
)

// box is an ISO base media file box (HEIF and QuickTime files are made of
// them): a 32-bit size, a four-character type, the payload.
func box(typ string, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	out := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(out, typ...), body...)
}

// heicPhoto starts like the HEIC photos iPhones take: ftyp heic (mif1,
// heic compatible), then the meta box with a "pict" handler.
func heicPhoto() []byte {
	ftyp := box("ftyp", []byte("heic"), []byte{0, 0, 0, 0}, []byte("mif1heic"))
	hdlr := box("hdlr", []byte{0, 0, 0, 0, 0, 0, 0, 0}, []byte("pict"), make([]byte, 13))
	meta := box("meta", []byte{0, 0, 0, 0}, hdlr)
	return append(append(ftyp, meta...), bytes.Repeat([]byte{0xAB}, 2000)...)
}

// quickTimeMovie starts like a .mov from a phone: ftyp "qt  ", a wide
// atom, then mdat.
func quickTimeMovie() []byte {
	ftyp := box("ftyp", []byte("qt  "), []byte{0, 0, 2, 0}, []byte("qt  "))
	return append(append(ftyp, box("wide")...), box("mdat", bytes.Repeat([]byte{0x11}, 3000))...)
}

// officeFile is a minimal Office Open XML package (what Word, Excel and
// PowerPoint save): [Content_Types].xml, the relationships, the part.
func officeFile(t *testing.T, dir, part, contentType string) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Override PartName="/` + dir + `/` + part + `" ContentType="` + contentType + `"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="` + dir + `/` + part + `"/></Relationships>`},
		{dir + "/" + part, `<?xml version="1.0" encoding="UTF-8"?><root/>`},
	}
	for _, f := range files {
		w, err := z.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(f.body))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// elfExecutable is the header of a Linux x86-64 executable.
func elfExecutable() []byte {
	h := []byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0, 1, 0, 0, 0}
	return append(h, make([]byte, 200)...)
}

// windowsExecutable is an MZ stub pointing at a PE header.
func windowsExecutable() []byte {
	b := make([]byte, 512)
	copy(b, "MZ")
	binary.LittleEndian.PutUint32(b[0x3c:], 0x80)
	copy(b[0x80:], "PE\x00\x00")
	binary.LittleEndian.PutUint16(b[0x84:], 0x8664)
	return b
}

// TestPhoneMediaAndOfficeFilesAreAccepted is issue 11 point 13: what
// phones and offices produce is accepted, active content is not.
func TestPhoneMediaAndOfficeFilesAreAccepted(t *testing.T) {
	const (
		image = schematype.AttachmentImage
		video = schematype.AttachmentVideo
		file  = schematype.AttachmentFile
	)
	docx := officeFile(t, "word", "document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
	xlsx := officeFile(t, "xl", "workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
	pptx := officeFile(t, "ppt", "presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml")
	accepted := []struct {
		name    string
		kind    schematype.AttachmentType
		content []byte
		mime    string
	}{
		{"IMG_0001.HEIC as IMAGE", image, heicPhoto(), "image/heic"},
		{"IMG_0001.HEIC as FILE", file, heicPhoto(), "image/heic"},
		{"IMG_0002.MOV as VIDEO", video, quickTimeMovie(), "video/quicktime"},
		{"IMG_0002.MOV as FILE", file, quickTimeMovie(), "video/quicktime"},
		{"report.docx", file, docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"figures.xlsx", file, xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"slides.pptx", file, pptx, "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
		{"notes.txt", file, []byte("Opening hours: 9 to 5.\n"), "text/plain"},
	}
	refused := []struct {
		name    string
		kind    schematype.AttachmentType
		content []byte
	}{
		{"page.html", file, []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")},
		{"logo.svg", file, []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)},
		{"logo.svg as IMAGE", image, []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>`)},
		{"feed.xml", file, []byte(`<?xml version="1.0"?><x:a xmlns:x="urn:x"/>`)},
		{"run.sh", file, []byte("#!/bin/sh\nrm -rf /\n")},
		{"app.js", file, []byte("#!/usr/bin/env node\nrequire('child_process')\n")},
		{"tool (ELF)", file, elfExecutable()},
		{"setup.exe", file, windowsExecutable()},
		{"report.docx as IMAGE", image, docx},
		{"IMG_0002.MOV as IMAGE", image, quickTimeMovie()},
		{"empty", file, nil},
	}

	dir, err := blob.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	files := New(dir, nil)
	ctx := context.Background()
	for _, c := range accepted {
		atts, _, err := files.Save(ctx, []Upload{{Kind: c.kind, File: bytes.NewReader(c.content), Filename: c.name}})
		if err != nil {
			t.Errorf("%s refused: %v", c.name, err)
			continue
		}
		if got := *atts[0].MimeType; !strings.HasPrefix(got, c.mime) || *atts[0].Size != len(c.content) {
			t.Errorf("%s stored as %s (%d bytes), want %s (%d)", c.name, got, *atts[0].Size, c.mime, len(c.content))
		}
	}
	for _, c := range refused {
		_, _, err := files.Save(ctx, []Upload{{Kind: c.kind, File: bytes.NewReader(c.content), Filename: c.name}})
		if !apierr.Has(err, apierr.BadUserInput) {
			t.Errorf("%s: want BAD_USER_INPUT, got %v", c.name, err)
		}
	}
}
