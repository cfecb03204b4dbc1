package rule

import (
	"context"
	"slices"

	"entgo.io/ent"
	"entgo.io/ent/privacy"
)

// Purpose names one read the server makes on its own account, past the
// viewer's filters. A context gets it with For; only the ent types whose
// policy lists it with AllowFor (ent/schema) let it through, so each
// allowance opens one kind of row for one reason and a reader of the
// schema sees every way a type can be read.
type Purpose string

// The server's reads, each with why it is safe.
const (
	// FindViewer: a session or page API token is looked up by the hash
	// of the bearer token before anyone is known. Only the hash matches.
	FindViewer Purpose = "find viewer"
	// StaffLookup: who is staff of a page (their roles, the recipients of
	// a visitor's message, whether a comment's or block's subject is
	// staff). Memberships are what the read filters are computed from, so
	// reading them cannot depend on the filters; they are never shown.
	StaffLookup Purpose = "staff lookup"
	// NotifyRecipients: the send path looks up whom a message notifies -
	// the page's ADMIN and MODERATOR staff, or a group chat's members -
	// whoever sends it (a token may send without reading). The recipients
	// are never shown to the sender.
	NotifyRecipients Purpose = "notify recipients"
	// BlockCheck: both block directions between one page and one user,
	// read to enforce rule 13 and to list a side's own blocks after the
	// caller checked it is that side. Block rows are never shown as such.
	BlockCheck Purpose = "block check"
	// DirectThread: the send path finds the DIRECT thread of a page and a
	// visitor it writes to. Its callers are the visitor (whose thread it
	// is), the page's staff replying privately after
	// PrivateReplyAllowed, and a SEND_MESSAGES token of the page (which
	// may answer its page's threads without READ_THREADS).
	DirectThread Purpose = "direct thread"
	// GroupChatJoin: joining reads the chat and counts its members before
	// the joiner is one; the counts are the server's bookkeeping.
	GroupChatJoin Purpose = "group chat join"
	// SendReferences: the send path reads an ad (for a referral) or a
	// saved reply (for its body) the sender names, limited to the page
	// being written to; the sender sees only what the message carries.
	SendReferences Purpose = "send references"
	// Dedup: a sender's earlier message with the same clientMessageId
	// (rule 8), found by the sender's own idempotency key.
	Dedup Purpose = "dedup"
	// EventDelivery: live events load the thread, message and
	// notifications an event names once for every subscriber; each
	// subscriber was checked to be allowed to see them (internal/live).
	EventDelivery Purpose = "event delivery"
	// SignedLink: a file download whose link signature proves it was made
	// for a viewer who could read the message.
	SignedLink Purpose = "signed link"
	// Responsiveness: rule 16's public figures are computed from the
	// page's request records; the rows themselves are never shown.
	Responsiveness Purpose = "responsiveness"
	// WebhookDelivery: the outbox and the dispatcher read a page's
	// webhooks, deliveries and events for every page: the server itself
	// sends (and prunes the event log past its retention).
	WebhookDelivery Purpose = "webhook delivery"
	// WebhookDisabledNotice: when the server switches a webhook off
	// (rule 33) it finds the page's ADMINs and a thread of the page to
	// hang their notification on. Only ids are used; the ADMINs it
	// notifies may read every thread of their page.
	WebhookDisabledNotice Purpose = "webhook disabled notice"
	// SigningKey: the server's own keys: for signed file links, and the
	// VAPID key that signs Web Push requests (rule 32).
	SigningKey Purpose = "signing key"
	// StaleCheck: rule 38's collision guard asks whether anyone else
	// wrote in the thread being written to after the seq the sender saw.
	// A SEND_MESSAGES token may answer without reading the thread; only
	// the yes/no is used (STALE_THREAD), no message is shown.
	StaleCheck Purpose = "stale check"
	// QuotedMessage: a reply's replyToId must be a message of the thread
	// being written to; the send path checks that it exists there, for
	// senders who may write but not read (a SEND_MESSAGES token). The
	// quote is shown later only through the reader's own filter.
	QuotedMessage Purpose = "quoted message"
	// NoteThread: a MANAGE_PAGE token writes notes but may not read the
	// inbox; it finds the one thread of its own page it adds a note to.
	// The thread is not returned to it, only the note.
	NoteThread Purpose = "note thread"
	// SnoozeWake: the snooze scheduler reads the threads it just woke to
	// announce them (inbox event, webhook); nobody is signed in.
	SnoozeWake Purpose = "snooze wake"
	// UnsendScrub: an unsend (rule 37) finds the page's stored webhook
	// deliveries and page events that carry the message, to remove its
	// text from them; the sender, who may not read webhooks or the event
	// log, never sees them.
	UnsendScrub Purpose = "unsend scrub"
	// PushDelivery: the Web Push dispatcher reads its outbox and queue,
	// the notifications a job names and their recipients' subscriptions,
	// for every user: the server itself sends. What a push carries is
	// read again as its recipient (internal/webpush), so this purpose
	// never decides what a person is shown.
	PushDelivery Purpose = "push delivery"
	// EventRelay: the event bus's relay reads the outbox rows of every
	// change to publish them to NATS; they hold identifiers only and are
	// never shown to anyone.
	EventRelay Purpose = "event relay"
)

type purposesKey struct{}

// For returns ctx allowed to read for purpose p (added to the purposes ctx
// already has). Callers keep the returned context for those reads only.
func For(ctx context.Context, p Purpose) context.Context {
	prev, _ := ctx.Value(purposesKey{}).([]Purpose)
	return context.WithValue(ctx, purposesKey{}, append(slices.Clone(prev), p))
}

// AllowFor lets a read made For one of purposes through a type's query
// policy.
func AllowFor(purposes ...Purpose) privacy.QueryRule {
	return queryRule(func(ctx context.Context, _ ent.Query) error {
		have, _ := ctx.Value(purposesKey{}).([]Purpose)
		for _, p := range purposes {
			if slices.Contains(have, p) {
				return privacy.Allow
			}
		}
		return privacy.Skip
	})
}

// The server's own writes, each naming the rows it covers.

// AuthorizeDeliveryAttempts lets the webhook dispatcher lease and record
// attempts of the deliveries it claimed.
func AuthorizeDeliveryAttempts(ctx context.Context, deliveryIDs ...int) context.Context {
	return grant(ctx, "webhook delivery attempts", changes(typeWebhookDelivery, rowIDs(deliveryIDs)))
}

// AuthorizeOutbox lets a change on a page record its event (the page event
// log) and the deliveries for the page's webhooks, whoever made the change.
func AuthorizeOutbox(ctx context.Context, pageID int) context.Context {
	return grant(ctx, "webhook outbox", createsFor(typeWebhookDelivery, pageOf, pageID), createsFor(typePageEvent, pageOf, pageID))
}

// AuthorizeBusOutbox lets a change record its live events in the event
// bus's outbox, whoever made the change.
func AuthorizeBusOutbox(ctx context.Context) context.Context {
	return grant(ctx, "event bus outbox", creates(typeBusEvent))
}

// AuthorizeBusRelay lets the event bus's relay lease and delete the outbox
// rows it claimed.
func AuthorizeBusRelay(ctx context.Context, ids ...int) context.Context {
	return grant(ctx, "event bus relay", changes(typeBusEvent, rowIDs(ids)))
}

// AuthorizeSigningKey lets the server create its own keys (file links,
// VAPID).
func AuthorizeSigningKey(ctx context.Context) context.Context {
	return grant(ctx, "signing key", creates(typeSigningKey))
}

// AuthorizeReleaseClientID lets the send path free an expired
// clientMessageId of one message (rule 8) so the key may be used again.
func AuthorizeReleaseClientID(ctx context.Context, messageID int) context.Context {
	return grant(ctx, "release clientMessageId", changes(typeMessage, rowID(messageID)))
}

// AuthorizeTokenUse lets authentication record when one page API token was
// last used.
func AuthorizeTokenUse(ctx context.Context, tokenID int) context.Context {
	return grant(ctx, "token use", changes(typePageAPIToken, rowID(tokenID)))
}

// typeSigningKey is SigningKey's ent type name.
const typeSigningKey = "SigningKey"

// typeBusEvent is BusEvent's ent type name.
const typeBusEvent = "BusEvent"
