// Package schematype holds the Go values stored in JSON columns. The GraphQL
// layer binds the contract's object types to them directly (gqlgen.yml), so
// what is stored is what clients see.
package schematype

import (
	"fmt"
	"io"
	"strconv"
)

// AvailabilityWindow is one weekly opening window in the page's time zone.
// Weekday 0 is Sunday; minutes count from local midnight, end exclusive.
type AvailabilityWindow struct {
	Weekday     int `json:"weekday"`
	StartMinute int `json:"startMinute"`
	EndMinute   int `json:"endMinute"`
}

// AttachmentType is the kind of an attachment.
type AttachmentType string

// Attachment kinds, as in the contract's AttachmentType.
const (
	AttachmentImage AttachmentType = "IMAGE"
	AttachmentVideo AttachmentType = "VIDEO"
	AttachmentFile  AttachmentType = "FILE"
	AttachmentLink  AttachmentType = "LINK"
)

// Attachment is a file or link sent with a message. For files URL is the
// server path the blob is served from; BlobKey names it in the blob store.
type Attachment struct {
	Type     AttachmentType `json:"type"`
	URL      string         `json:"url"`
	Name     *string        `json:"name,omitempty"`
	MimeType *string        `json:"mimeType,omitempty"`
	Size     *int           `json:"size,omitempty"`
	Title    *string        `json:"title,omitempty"`
	BlobKey  string         `json:"blobKey,omitempty"`
}

// AdSnapshot is an ad as it was when a visitor messaged the page from it.
type AdSnapshot struct {
	AdID     int     `json:"adId"`
	Title    string  `json:"title"`
	Body     *string `json:"body,omitempty"`
	ImageURL *string `json:"imageUrl,omitempty"`
}

// MarshalGQL writes the type as a GraphQL enum value.
func (t AttachmentType) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(t))) }

// UnmarshalGQL reads a GraphQL enum value.
func (t *AttachmentType) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	switch AttachmentType(s) {
	case AttachmentImage, AttachmentVideo, AttachmentFile, AttachmentLink:
		*t = AttachmentType(s)
		return nil
	}
	return fmt.Errorf("%v is not a valid AttachmentType", v)
}

// WebhookEvent is an event a webhook subscribes to (rule 22).
type WebhookEvent string

// Webhook events, as in the contract's WebhookEvent.
const (
	EventMessageCreated   WebhookEvent = "MESSAGE_CREATED"
	EventThreadCreated    WebhookEvent = "THREAD_CREATED"
	EventThreadUpdated    WebhookEvent = "THREAD_UPDATED"
	EventCommentCreated   WebhookEvent = "COMMENT_CREATED"
	EventPrivateReplySent WebhookEvent = "PRIVATE_REPLY_SENT"
	// The team inbox: an edit, unsend or reaction change of a message, and
	// a staff note (webhooks are registered by ADMINs only).
	EventMessageUpdated WebhookEvent = "MESSAGE_UPDATED"
	EventNoteAdded      WebhookEvent = "NOTE_ADDED"
)

// Values lists the events (ent enum values).
func (WebhookEvent) Values() []string {
	return []string{string(EventMessageCreated), string(EventThreadCreated), string(EventThreadUpdated),
		string(EventCommentCreated), string(EventPrivateReplySent), string(EventMessageUpdated), string(EventNoteAdded)}
}

// MarshalGQL writes the event as a GraphQL enum value.
func (e WebhookEvent) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(e))) }

// UnmarshalGQL reads a GraphQL enum value.
func (e *WebhookEvent) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	for _, ok := range WebhookEvent("").Values() {
		if s == ok {
			*e = WebhookEvent(s)
			return nil
		}
	}
	return fmt.Errorf("%v is not a valid WebhookEvent", v)
}
