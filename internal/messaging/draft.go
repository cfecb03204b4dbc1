package messaging

import (
	"io"
	"net/url"
	"strings"
	"unicode/utf8"

	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/apierr"
	"pageinbox/internal/attachment"
)

// Limits of rule 7.
const (
	MaxBodyRunes   = 10_000
	MaxAttachments = 10
	MaxURLLength   = 2048
	SnippetRunes   = 120
)

// AttachmentDraft is an attachment as the client sent it: a LINK with a
// URL, or an IMAGE / VIDEO / FILE with an uploaded file.
type AttachmentDraft struct {
	Type     schematype.AttachmentType
	URL      *string
	Title    *string
	File     io.Reader
	Filename string
	Size     int64
}

// Draft is a message before it is checked and stored.
type Draft struct {
	Body            string
	Attachments     []AttachmentDraft
	ClientMessageID *string
	// AdID: the visitor writes from this ad (sendMessageToPage, rule 9).
	AdID *int
	// SavedReplyID: the page sends this saved reply's body (rule 14).
	SavedReplyID *int
	// ReplyToID quotes an earlier message of the same thread (rule 37).
	ReplyToID *int
	// ExpectedLastSeq: the last seq the sender had seen; a newer message
	// from someone else refuses the send with STALE_THREAD (rule 38).
	ExpectedLastSeq *int
}

// validate applies rule 7 to the whole draft before anything is stored.
func (d Draft) validate() error {
	if err := validateBody(d.Body, len(d.Attachments) > 0); err != nil {
		return err
	}
	return d.validateAttachments()
}

// validateBody: 1..10,000 characters of valid UTF-8, or empty with
// attachments.
func validateBody(body string, hasAttachments bool) error {
	if !utf8.ValidString(body) {
		return apierr.New(apierr.BadUserInput, "body is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(body); n > MaxBodyRunes {
		return apierr.Errorf(apierr.LimitExceeded, "body has %d characters; the limit is %d", n, MaxBodyRunes)
	}
	if strings.TrimSpace(body) == "" && !hasAttachments {
		return apierr.New(apierr.BadUserInput, "a message needs a body or an attachment")
	}
	return nil
}

// validateAttachments checks counts, links and the presence of files; the
// files themselves are checked as they are stored (attachment.Files).
func (d Draft) validateAttachments() error {
	if len(d.Attachments) > MaxAttachments {
		return apierr.Errorf(apierr.LimitExceeded, "%d attachments; the limit is %d", len(d.Attachments), MaxAttachments)
	}
	if d.ClientMessageID != nil {
		if n := len(*d.ClientMessageID); n == 0 || n > 128 {
			return apierr.New(apierr.BadUserInput, "clientMessageId must be 1-128 bytes")
		}
	}
	for i, a := range d.Attachments {
		if a.Title != nil && utf8.RuneCountInString(*a.Title) > 300 {
			return apierr.Errorf(apierr.LimitExceeded, "attachment %d: title over 300 characters", i+1)
		}
		switch a.Type {
		case schematype.AttachmentLink:
			if a.File != nil {
				return apierr.Errorf(apierr.BadUserInput, "attachment %d: a LINK has a url, not a file", i+1)
			}
			if _, err := validateLink(i, a.URL); err != nil {
				return err
			}
		default:
			if a.File == nil {
				return apierr.Errorf(apierr.BadUserInput, "attachment %d: %s attachments are uploaded as files", i+1, a.Type)
			}
			if a.Size > attachment.MaxFileBytes {
				return apierr.Errorf(apierr.LimitExceeded, "attachment %d is larger than 25 MiB", i+1)
			}
		}
	}
	return nil
}

// validateLink checks a LINK url. The server stores it and never fetches it.
func validateLink(i int, raw *string) (string, error) {
	if raw == nil || *raw == "" {
		return "", apierr.Errorf(apierr.BadUserInput, "attachment %d: a LINK needs a url", i+1)
	}
	if len(*raw) > MaxURLLength {
		return "", apierr.Errorf(apierr.LimitExceeded, "attachment %d: url longer than %d characters", i+1, MaxURLLength)
	}
	u, err := url.Parse(*raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", apierr.Errorf(apierr.BadUserInput, "attachment %d: url must be an absolute http(s) URL", i+1)
	}
	return *raw, nil
}

// snippet previews a message for the inbox: at most SnippetRunes
// characters on one line.
func snippet(body string, atts []schematype.Attachment) string {
	s := strings.Join(strings.Fields(body), " ")
	if s == "" && len(atts) > 0 {
		if len(atts) == 1 {
			return "Sent an attachment"
		}
		return "Sent attachments"
	}
	if utf8.RuneCountInString(s) <= SnippetRunes {
		return s
	}
	r := []rune(s)
	return string(r[:SnippetRunes-1]) + "…"
}
