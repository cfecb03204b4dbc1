package attachment

import (
	"context"

	"pageinbox/ent/schema/schematype"
)

// Remove deletes the stored files of an unsent message's attachments
// (rule 37: the files are gone for everyone). Call it after the commit
// that removed them from the message; a file that is already gone is fine.
func (f *Files) Remove(ctx context.Context, atts []schematype.Attachment) error {
	var first error
	for _, a := range atts {
		if a.BlobKey == "" {
			continue
		}
		if err := f.blobs.Delete(ctx, a.BlobKey); err != nil && first == nil {
			first = err
		}
	}
	return first
}
