package attachment

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"pageinbox/ent"
	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/blob"
	"pageinbox/internal/globalid"
	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
)

// Authenticate turns a bearer token into a viewer (the API's authenticator).
type Authenticate func(ctx context.Context, token string) (*viewer.Viewer, error)

// Handler serves GET /files/{message}/{index} ({message} is the API id): with a valid signed URL, or
// with "Authorization: Bearer <token>" of someone who may read the message
// (its participants, the page's inbox staff, READ_THREADS tokens).
// Everyone else gets 404, as if the file did not exist.
func (f *Files) Handler(client *ent.Client, authenticate Authenticate) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		messageID, err1 := globalid.Decode(r.PathValue("message"))
		index, err2 := strconv.Atoi(r.PathValue("index"))
		if err1 != nil || err2 != nil || index < 0 {
			http.NotFound(w, r)
			return
		}
		ctx := r.Context()
		switch q := r.URL.Query(); {
		case q.Get("sig") != "":
			if !f.signer.valid(messageID, index, q.Get("exp"), q.Get("sig")) {
				http.Error(w, "link expired or invalid", http.StatusForbidden)
				return
			}
			// The signature proves the link was made for someone who could
			// read the message.
			ctx = rule.For(ctx, rule.SignedLink)
		case r.Header.Get("Authorization") != "":
			scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
			if !strings.EqualFold(scheme, "Bearer") {
				http.Error(w, "bearer token required", http.StatusUnauthorized)
				return
			}
			v, err := authenticate(ctx, strings.TrimSpace(token))
			if err != nil {
				http.Error(w, "invalid token", http.StatusUnauthorized)
				return
			}
			ctx = viewer.NewContext(ctx, v)
		default:
			http.Error(w, "sign in or use a signed link", http.StatusUnauthorized)
			return
		}
		m, err := client.Message.Get(ctx, messageID) // privacy: participants only
		if err != nil || index >= len(m.Attachments) || m.Attachments[index].BlobKey == "" {
			http.NotFound(w, r)
			return
		}
		f.serve(w, r, m.Attachments[index], m)
	})
}

func (f *Files) serve(w http.ResponseWriter, r *http.Request, a schematype.Attachment, m *ent.Message) {
	file, err := f.blobs.Open(r.Context(), a.BlobKey)
	if errors.Is(err, blob.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "cannot read file", http.StatusInternalServerError)
		return
	}
	defer file.Close()
	h := w.Header()
	if a.MimeType != nil {
		h.Set("Content-Type", *a.MimeType)
	}
	// The sniffed type is final; nothing the file says makes it run here.
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, max-age=3600")
	disposition := "attachment"
	if a.Type == schematype.AttachmentImage || a.Type == schematype.AttachmentVideo {
		disposition = "inline"
	}
	name := fmt.Sprintf("attachment-%d", m.ID)
	if a.Name != nil {
		name = *a.Name
	}
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": name}))
	http.ServeContent(w, r, "", m.CreatedAt, file)
}
