package attachment

import (
	"github.com/gabriel-vasile/mimetype"

	"pageinbox/ent/schema/schematype"
)

// Content types are sniffed with github.com/gabriel-vasile/mimetype, a
// maintained detector that knows the formats phones and offices produce
// (HEIC/HEIF photos, QuickTime videos, OOXML and OpenDocument files), which
// net/http.DetectContentType (the WHATWG sniffing algorithm, for browsers)
// does not: it calls them application/octet-stream.

// sniffBytes is how much of a file the detector reads (its default limit).
const sniffBytes = 4096

// Each kind accepts an allow-list of sniffed types. Everything else is
// refused, and in particular anything a browser or an operating system
// would run: HTML, XHTML, SVG and other XML, JavaScript, shell scripts,
// executables - they are not on any list.
var (
	imageTypes = []string{
		"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/tiff",
		"image/heic", "image/heic-sequence", "image/heif", "image/heif-sequence", "image/avif",
	}
	videoTypes = []string{
		"video/mp4", "video/webm", "video/quicktime", "video/x-m4v", "video/3gpp", "video/3gpp2",
		"video/x-msvideo", "video/x-matroska", "video/mpeg",
	}
	// fileTypes come on top of images and videos for FILE attachments.
	fileTypes = []string{
		"audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/aac", "audio/ogg", "audio/wav", "audio/flac",
		"audio/amr", "audio/webm", "audio/3gpp", "application/ogg",
		"application/pdf", "text/plain", "text/csv", "text/rtf",
		"application/zip", "application/gzip", "application/x-7z-compressed",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"application/vnd.openxmlformats-officedocument.presentationml.presentation",
		"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
		"application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
		"application/vnd.oasis.opendocument.presentation",
		"application/epub+zip", "font/woff", "font/woff2", "font/ttf", "font/otf",
	}
)

// sniff returns the content type of a file that starts with head, and
// whether kind accepts it. An empty file is refused.
func sniff(kind schematype.AttachmentType, head []byte) (string, bool) {
	m := mimetype.Detect(head)
	if len(head) == 0 {
		return m.String(), false
	}
	var lists [][]string
	switch kind {
	case schematype.AttachmentImage:
		lists = [][]string{imageTypes}
	case schematype.AttachmentVideo:
		lists = [][]string{videoTypes}
	case schematype.AttachmentFile:
		lists = [][]string{imageTypes, videoTypes, fileTypes}
	}
	for _, list := range lists {
		for _, t := range list {
			// Is matches the type and its aliases (e.g. application/x-gzip).
			if m.Is(t) {
				return m.String(), true
			}
		}
	}
	return m.String(), false
}
