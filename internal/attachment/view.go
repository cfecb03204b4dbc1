package attachment

import (
	"context"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/schema/schematype"
)

// View is an attachment as the API shows it: where it sits (message and
// position) is needed to make its download URL.
type View struct {
	schematype.Attachment
	MessageID int
	Index     int
}

// Views returns a message's attachments for the API.
func Views(m *ent.Message) []*View {
	out := make([]*View, len(m.Attachments))
	for i, a := range m.Attachments {
		out[i] = &View{Attachment: a, MessageID: m.ID, Index: i}
	}
	return out
}

// ReadTTL is how long a download URL handed to an API reader works.
const ReadTTL = time.Hour

// URL is Attachment.url: a link's own URL, or a signed download URL for a
// file. Only readers of the message reach a View, so signing is safe.
func (f *Files) URL(_ context.Context, v *View) string {
	if v.BlobKey == "" {
		return v.Attachment.URL
	}
	return f.signer.URL(v.MessageID, v.Index, ReadTTL)
}

// SignedURL signs a download URL for the index-th file of a message.
func (f *Files) SignedURL(messageID, index int, ttl time.Duration) string {
	return f.signer.URL(messageID, index, ttl)
}
