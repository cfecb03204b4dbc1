package messaging

import (
	"context"

	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/attachment"
)

// storeAttachments stores a validated draft's files and returns all its
// attachments in order. discard removes the stored files again; the send
// path calls it when the message is not stored after all (a failed or
// duplicate send), so nothing is half-stored.
func (s *Service) storeAttachments(ctx context.Context, d Draft) ([]schematype.Attachment, func(), error) {
	atts := make([]schematype.Attachment, len(d.Attachments))
	var (
		uploads []attachment.Upload
		at      []int
	)
	for i, a := range d.Attachments {
		if a.Type == schematype.AttachmentLink {
			atts[i] = schematype.Attachment{Type: a.Type, URL: *a.URL, Title: a.Title}
			continue
		}
		uploads = append(uploads, attachment.Upload{Kind: a.Type, File: a.File, Filename: a.Filename, Size: a.Size, Title: a.Title})
		at = append(at, i)
	}
	if len(uploads) == 0 {
		return atts, func() {}, nil
	}
	if s.files == nil {
		return nil, nil, errNoFileStore
	}
	stored, discard, err := s.files.Save(ctx, uploads)
	if err != nil {
		return nil, nil, err
	}
	for j, a := range stored {
		atts[at[j]] = a
	}
	return atts, discard, nil
}
