// Package pubsub carries events from the transaction that caused them to the
// subscriptions that show them, in this process (Memory), on every
// replica sharing a PostgreSQL database (Postgres, LISTEN/NOTIFY), or on the
// replicas whose clients watch them (NATS, JetStream fed by a
// transactional outbox).
//
// Events hold identifiers only: NOTIFY payloads are capped at 8000 bytes,
// and each replica loads what its own subscribers may see. Delivery to a
// subscription never blocks the publisher: every subscription has a bounded
// buffer, and when it overflows the subscription is flagged as having lost
// events, so its reader resynchronises from the database (see internal/live).
package pubsub

import (
	"context"
	"strconv"
)

// Kind says what happened.
type Kind string

// Event kinds.
const (
	KindMessage      Kind = "message"      // a message was added to a thread
	KindInbox        Kind = "inbox"        // a page's inbox changed (see InboxKind)
	KindNotification Kind = "notification" // a user got a notification
	// KindNotifications: many users got a notification about one message
	// (a group chat's members). One event instead of one per member; each
	// replica expands it for its own notificationAdded subscribers.
	KindNotifications Kind = "notifications"
	// KindResync tells a stream to resynchronise from the database (sent
	// locally when events it depends on may have been missed).
	KindResync       Kind = "resync"
	KindTyping       Kind = "typing"        // someone is typing (never stored)
	KindRevoked      Kind = "revoked"       // a session or API token was revoked
	KindAccess       Kind = "access"        // a user's roles changed: re-check access
	KindThreadAccess Kind = "thread_access" // a thread's audience changed (group left, block)
	// KindMessageUpdated: a message was edited, unsent or its reactions
	// changed (messageUpdated).
	KindMessageUpdated Kind = "message_updated"
	// KindViewing: a staff member opened or closed a thread (never stored;
	// every replica keeps who views what in memory).
	KindViewing Kind = "viewing"
)

// Event is one fact, addressed to a topic.
type Event struct {
	Topic          string `json:"t"`
	Kind           Kind   `json:"k"`
	ThreadID       int    `json:"th,omitempty"`
	MessageID      int    `json:"m,omitempty"`
	Seq            int    `json:"s,omitempty"`
	PageID         int    `json:"p,omitempty"`
	UserID         int    `json:"u,omitempty"`
	NotificationID int    `json:"n,omitempty"`
	NoteID         int    `json:"no,omitempty"`
	// SessionID names the revoked session of a KindRevoked event on
	// CredentialsTopic.
	SessionID int `json:"se,omitempty"`
	// InboxKind is the contract's InboxEventKind for KindInbox.
	InboxKind string `json:"ik,omitempty"`
	// Typing events: whether typing, and the sender's side. Viewing
	// events: whether the user has the thread open.
	Typing     bool   `json:"ty,omitempty"`
	SenderType string `json:"st,omitempty"`
	// At is when it happened (Unix ms) where replicas need the sender's
	// time rather than the time of arrival (viewing renewals).
	At int64 `json:"at,omitempty"`
}

// One topic per audience: a thread's participants, a page's inbox staff, a
// user's own events, and everyone connected with one credential.

// ThreadTopic carries a thread's new messages and typing.
func ThreadTopic(id int) string { return "thread:" + strconv.Itoa(id) }

// PageTopic carries a page's inbox events.
func PageTopic(id int) string { return "page:" + strconv.Itoa(id) }

// UserTopic carries a user's notifications and access changes.
func UserTopic(id int) string { return "user:" + strconv.Itoa(id) }

// SessionTopic announces that a session was revoked.
func SessionTopic(id int) string { return "session:" + strconv.Itoa(id) }

// ViewingTopic carries KindViewing events of every page, to every
// replica's viewer registry.
func ViewingTopic() string { return "viewing" }

// NotificationsTopic carries KindNotifications events.
func NotificationsTopic() string { return "notifications" }

// AccessTopic announces that a user's roles or memberships changed.
func AccessTopic(id int) string { return "access:" + strconv.Itoa(id) }

// CredentialsTopic carries, to every replica's session cache, the
// sessions revoked (KindRevoked with SessionID) and the users whose roles
// changed (KindAccess with UserID). See account.CredentialEvents.
func CredentialsTopic() string { return "credentials" }

// TokenTopic announces that a page API token was revoked.
func TokenTopic(id int) string { return "token:" + strconv.Itoa(id) }

// Publisher sends events to every subscriber on every replica. Callers
// publish after their transaction committed (rule 21).
type Publisher interface {
	Publish(ctx context.Context, events ...Event) error
}

// Broker publishes and subscribes.
type Broker interface {
	Publisher
	// Subscribe returns a subscription to the topics; Close it when done.
	Subscribe(topics ...string) *Subscription
	// Watch is Subscribe for the server's own use: not counted in
	// Subscribers.
	Watch(topics ...string) *Subscription
	// Local delivers an event to this process's subscribers only (one
	// replica's expansion of a KindNotifications event).
	Local(ev Event)
	// Subscribers counts this process's open subscriptions.
	Subscribers() int
	// Dropped counts events that overflowed a subscription's buffer (the
	// subscription then resynchronised from the database).
	Dropped() int64
	// Close stops the broker; open subscriptions are told to resynchronise
	// no more and simply stop receiving.
	Close() error
}
