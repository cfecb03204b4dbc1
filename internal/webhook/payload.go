package webhook

import (
	"time"

	"pageinbox/ent"
	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/globalid"
)

// The data of each event, as integrations receive it. IDs are the API's
// global IDs, so an integration can look anything up over GraphQL with a
// page API token.

// ThreadData describes a thread.
type ThreadData struct {
	ID        string   `json:"id"`
	Kind      string   `json:"kind"`
	VisitorID *string  `json:"visitorId,omitempty"`
	Title     *string  `json:"title,omitempty"`
	Status    string   `json:"status"`
	Assignee  *string  `json:"assigneeId,omitempty"`
	Labels    []string `json:"labels"`
}

// MessageData describes a message.
type MessageData struct {
	ID              string           `json:"id"`
	ThreadID        string           `json:"threadId"`
	Seq             int              `json:"seq"`
	SenderType      string           `json:"senderType"`
	SenderID        *string          `json:"senderId,omitempty"`
	Body            string           `json:"body"`
	Attachments     []AttachmentData `json:"attachments"`
	ClientMessageID *string          `json:"clientMessageId,omitempty"`
	Referral        *string          `json:"referral,omitempty"`
	AdSnapshot      *AdSnapshotData  `json:"adSnapshot,omitempty"`
	CommentID       *string          `json:"commentId,omitempty"`
	CreatedAt       time.Time        `json:"createdAt"`
	// The team inbox (MESSAGE_UPDATED): the quoted message, edits and
	// the unsend marker.
	ReplyToID *string    `json:"replyToId,omitempty"`
	EditedAt  *time.Time `json:"editedAt,omitempty"`
	EditCount int        `json:"editCount,omitempty"`
	RemovedAt *time.Time `json:"removedAt,omitempty"`
}

// AdSnapshotData is the ad as it was when the message was sent.
type AdSnapshotData struct {
	AdID     string  `json:"adId"`
	Title    string  `json:"title"`
	Body     *string `json:"body,omitempty"`
	ImageURL *string `json:"imageUrl,omitempty"`
}

// AttachmentData describes an attachment; files are fetched from the API
// with the message id and index (see README, "Attachments").
type AttachmentData struct {
	Type     schematype.AttachmentType `json:"type"`
	URL      string                    `json:"url,omitempty"`
	Name     *string                   `json:"name,omitempty"`
	MimeType *string                   `json:"mimeType,omitempty"`
	Size     *int                      `json:"size,omitempty"`
	Title    *string                   `json:"title,omitempty"`
}

// CommentData describes a comment on the page's wall.
type CommentData struct {
	ID        string    `json:"id"`
	PostID    string    `json:"postId"`
	AuthorID  string    `json:"authorId"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"createdAt"`
}

func id(v int) string { return globalid.Encode(v) }

func idp(v *int) *string {
	if v == nil {
		return nil
	}
	s := id(*v)
	return &s
}

// Thread describes th.
func Thread(th *ent.Thread) ThreadData {
	labels := th.Labels
	if labels == nil {
		labels = []string{}
	}
	return ThreadData{ID: id(th.ID), Kind: string(th.Kind), VisitorID: idp(th.VisitorID), Title: th.Title,
		Status: string(th.Status), Assignee: idp(th.AssigneeID), Labels: labels}
}

// Message describes m; fileURL turns a file attachment into its URL.
func Message(m *ent.Message, fileURL func(messageID, index int) string) MessageData {
	d := MessageData{ID: id(m.ID), ThreadID: id(m.ThreadID), Seq: m.Seq, SenderType: string(m.SenderType),
		SenderID: idp(m.SenderID), Body: m.Body, ClientMessageID: m.ClientMessageID,
		AdSnapshot: adSnapshot(m.ReferralAd), CommentID: idp(m.ReferralCommentID), CreatedAt: m.CreatedAt,
		ReplyToID: idp(m.ReplyToID), EditedAt: m.EditedAt, EditCount: m.EditCount, RemovedAt: m.RemovedAt,
		Attachments: make([]AttachmentData, len(m.Attachments))}
	if m.ReferralSource != nil {
		r := string(*m.ReferralSource)
		d.Referral = &r
	}
	for i, a := range m.Attachments {
		ad := AttachmentData{Type: a.Type, URL: a.URL, Name: a.Name, MimeType: a.MimeType, Size: a.Size, Title: a.Title}
		if a.BlobKey != "" && fileURL != nil {
			ad.URL = fileURL(m.ID, i)
		}
		d.Attachments[i] = ad
	}
	return d
}

func adSnapshot(a *schematype.AdSnapshot) *AdSnapshotData {
	if a == nil {
		return nil
	}
	return &AdSnapshotData{AdID: id(a.AdID), Title: a.Title, Body: a.Body, ImageURL: a.ImageURL}
}

// Comment describes c.
func Comment(c *ent.Comment) CommentData {
	return CommentData{ID: id(c.ID), PostID: id(c.PostID), AuthorID: id(c.AuthorID), Body: c.Body, CreatedAt: c.CreatedAt}
}
