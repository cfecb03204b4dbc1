package messaging

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/apierr"
)

// Limits of rule 7.
const (
	MaxBodyRunes   = 10_000
	MaxAttachments = 10
	MaxURLLength   = 2048
	SnippetRunes   = 120
)

// AttachmentDraft is an attachment as the client sent it.
type AttachmentDraft struct {
	Type  schematype.AttachmentType
	URL   *string
	Title *string
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
}

// validate applies rule 7 before anything is stored.
func (d Draft) validate() ([]schematype.Attachment, error) {
	if !utf8.ValidString(d.Body) {
		return nil, apierr.New(apierr.BadUserInput, "body is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(d.Body); n > MaxBodyRunes {
		return nil, apierr.Errorf(apierr.LimitExceeded, "body has %d characters; the limit is %d", n, MaxBodyRunes)
	}
	if len(d.Attachments) > MaxAttachments {
		return nil, apierr.Errorf(apierr.LimitExceeded, "%d attachments; the limit is %d", len(d.Attachments), MaxAttachments)
	}
	if strings.TrimSpace(d.Body) == "" && len(d.Attachments) == 0 {
		return nil, apierr.New(apierr.BadUserInput, "a message needs a body or an attachment")
	}
	if d.ClientMessageID != nil {
		if n := len(*d.ClientMessageID); n == 0 || n > 128 {
			return nil, apierr.New(apierr.BadUserInput, "clientMessageId must be 1-128 bytes")
		}
	}
	atts := make([]schematype.Attachment, 0, len(d.Attachments))
	for i, a := range d.Attachments {
		switch a.Type {
		case schematype.AttachmentLink:
			u, err := validateLink(i, a.URL)
			if err != nil {
				return nil, err
			}
			if a.Title != nil && utf8.RuneCountInString(*a.Title) > 300 {
				return nil, apierr.Errorf(apierr.LimitExceeded, "attachment %d: title over 300 characters", i+1)
			}
			atts = append(atts, schematype.Attachment{Type: a.Type, URL: u, Title: a.Title})
		default:
			return nil, apierr.Errorf(apierr.BadUserInput, "attachment %d: %s attachments are uploaded as files", i+1, a.Type)
		}
	}
	return atts, nil
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
