package webpush

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	wp "github.com/SherClockHolmes/webpush-go"

	"pageinbox/ent"
	"pageinbox/ent/block"
	"pageinbox/ent/notification"
	"pageinbox/internal/globalid"
	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
)

// Payload is the JSON a push carries, decrypted by the service worker.
// It stays far below the 4 KB a push service accepts: ids, a kind, the
// page's name (at most 100 characters) and a snippet of at most
// snippetRunes characters.
type Payload struct {
	NotificationID string    `json:"notificationId"`
	Kind           string    `json:"kind"`
	ThreadID       string    `json:"threadId"`
	PageName       string    `json:"pageName,omitempty"`
	Snippet        string    `json:"snippet,omitempty"`
	CreatedAt      time.Time `json:"createdAt"`
}

// snippetRunes bounds the message or note text a push shows.
const snippetRunes = 140

// push is one notification as it will be pushed.
type push struct {
	body    []byte
	topic   string
	urgency wp.Urgency
}

// compose reads a notification as its recipient reads it - through the
// recipient's own privacy filters (rule 11), the same as notifications and
// the thread in the API - and returns what to push, or ok false when
// nothing may be pushed: the recipient can no longer see the thread, or
// blocked the page (rule 13).
func (d *Dispatcher) compose(ctx context.Context, userID, notificationID int) (p push, ok bool, err error) {
	as := viewer.NewContext(ctx, viewer.ForUser(userID, 0, d.roles))
	n, err := d.client.Notification.Query().Where(notification.ID(notificationID)).
		WithThread().WithPage().WithMessage().WithNote().Only(as)
	if ent.IsNotFound(err) {
		return p, false, nil
	}
	if err != nil {
		return p, false, err
	}
	if n.Edges.Thread == nil {
		return p, false, nil // rule 11: no longer theirs to read
	}
	if n.PageID != nil {
		blocked, err := d.client.Block.Query().
			Where(block.PageID(*n.PageID), block.UserID(userID), block.ByEQ(block.ByUSER)).
			Exist(rule.For(ctx, rule.BlockCheck))
		if err != nil || blocked {
			return p, false, err
		}
	}
	pl := Payload{
		NotificationID: globalid.Encode(n.ID),
		Kind:           string(n.Kind),
		ThreadID:       globalid.Encode(n.ThreadID),
		CreatedAt:      n.CreatedAt,
	}
	if pg := n.Edges.Page; pg != nil {
		pl.PageName = clip(pg.Name, 100)
	}
	switch {
	case n.Edges.Message != nil && n.Edges.Message.RemovedAt == nil:
		pl.Snippet = clip(n.Edges.Message.Body, snippetRunes)
	case n.Edges.Note != nil:
		pl.Snippet = clip(n.Edges.Note.Body, snippetRunes)
	}
	body, err := json.Marshal(pl)
	if err != nil {
		return p, false, err
	}
	return push{body: body, topic: pl.ThreadID, urgency: urgencyOf(n.Kind)}, true, nil
}

// urgencyOf (RFC 8030 5.3): a person waiting for an answer is "high",
// so the phone wakes; chatter in a group chat is "normal".
func urgencyOf(k notification.Kind) wp.Urgency {
	if k == notification.KindGROUP_MESSAGE {
		return wp.UrgencyNormal
	}
	return wp.UrgencyHigh
}

// clip shortens s to n characters on one line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
