// Package attachment handles file attachments (rule 7): it checks uploads
// (at most 25 MiB, type sniffed from the content, allowed per kind), keeps
// them in the blob store, and serves them back only to those who may read
// the message - either with their bearer token or through a signed URL
// that expires.
package attachment

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/apierr"
	"pageinbox/internal/blob"
)

// MaxFileBytes is the per-file cap (rule 7: 25 MiB).
const MaxFileBytes = 25 << 20

// Upload is a file as the client sent it. Its name and declared content
// type are not trusted: the type is sniffed from the bytes.
type Upload struct {
	Kind     schematype.AttachmentType
	File     io.Reader
	Filename string
	Size     int64 // declared; the stored size is counted, not believed
	Title    *string
}

// Files stores and serves attachment files.
type Files struct {
	blobs  blob.Store
	signer *Signer
}

// New returns the attachment service.
func New(blobs blob.Store, signer *Signer) *Files { return &Files{blobs: blobs, signer: signer} }

// Save checks and stores uploads, in order. On any refusal nothing is kept.
// The caller calls discard if the message is not stored after all.
func (f *Files) Save(ctx context.Context, uploads []Upload) (atts []schematype.Attachment, discard func(), err error) {
	var keys []string
	discard = func() {
		for _, k := range keys {
			_ = f.blobs.Delete(context.WithoutCancel(ctx), k)
		}
	}
	defer func() {
		if err != nil {
			discard()
		}
	}()
	for i, u := range uploads {
		a, key, err := f.save(ctx, i, u)
		if key != "" {
			keys = append(keys, key)
		}
		if err != nil {
			return nil, discard, err
		}
		atts = append(atts, a)
	}
	return atts, discard, nil
}

var errTooLarge = errors.New("file too large")

// cappedReader fails once more than max bytes went through.
type cappedReader struct {
	r   io.Reader
	n   int64
	max int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		return n, errTooLarge
	}
	return n, err
}

func (f *Files) save(ctx context.Context, i int, u Upload) (schematype.Attachment, string, error) {
	if u.Size > MaxFileBytes {
		return schematype.Attachment{}, "", apierr.Errorf(apierr.LimitExceeded, "attachment %d is larger than 25 MiB", i+1)
	}
	br := bufio.NewReaderSize(u.File, sniffBytes)
	head, _ := br.Peek(sniffBytes)
	mime, ok := sniff(u.Kind, head)
	if !ok {
		return schematype.Attachment{}, "", apierr.Errorf(apierr.BadUserInput,
			"attachment %d: content of type %s is not allowed as %s", i+1, strings.Split(mime, ";")[0], u.Kind)
	}
	key := newKey()
	n, err := f.blobs.Put(ctx, key, &cappedReader{r: br, max: MaxFileBytes})
	if errors.Is(err, errTooLarge) {
		return schematype.Attachment{}, "", apierr.Errorf(apierr.LimitExceeded, "attachment %d is larger than 25 MiB", i+1)
	}
	if err != nil {
		return schematype.Attachment{}, "", fmt.Errorf("attachment: store: %w", err)
	}
	size := int(n)
	name := cleanName(u.Filename)
	return schematype.Attachment{
		Type: u.Kind, BlobKey: key, MimeType: &mime, Size: &size, Name: name, Title: u.Title,
	}, key, nil
}

func newKey() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// cleanName keeps a display name: the base name, printable, at most 255
// bytes. It is never used as a path.
func cleanName(name string) *string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	for len(name) > 255 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == "/" {
		return nil
	}
	return &name
}
