package rule

import (
	"context"
	"time"

	"entgo.io/ent/entql"
)

// The server's own writes for Standard Webhooks and the page event log
// (rules 33 and 34), each naming the rows it covers.

// AuthorizeEventBody lets the outbox write the body of the event it just
// created: the body carries the event's own id, known only after insert.
func AuthorizeEventBody(ctx context.Context, eventID int) context.Context {
	return grant(ctx, "event body", changes(typePageEvent, rowID(eventID)))
}

// AuthorizeScrubEvents lets an unsend rewrite the page events that carry
// the message (read For UnsendScrub), so its text leaves the log too.
func AuthorizeScrubEvents(ctx context.Context, eventIDs ...int) context.Context {
	return grant(ctx, "scrub unsent events", changes(typePageEvent, rowIDs(eventIDs)))
}

// AuthorizeEventPrune lets the pruner delete the page events created
// before cutoff (the retention, PAGEINBOX_EVENT_RETENTION).
func AuthorizeEventPrune(ctx context.Context, cutoff time.Time) context.Context {
	return grant(ctx, "event log retention", changes(typePageEvent,
		as(func(f CreatedAtFilter) { f.WhereCreatedAt(entql.TimeLT(cutoff)) })))
}

// AuthorizeEndpointHealth lets the dispatcher record an endpoint's health
// (its run of failures) and switch it off (410 Gone, 5 days of failures),
// failing the deliveries still pending for it.
func AuthorizeEndpointHealth(ctx context.Context, webhookID int) context.Context {
	return grant(ctx, "endpoint health",
		changes(typeWebhook, rowID(webhookID)),
		changes(typeWebhookDelivery, as(func(f WebhookRowFilter) { f.WhereWebhookID(entql.IntEQ(webhookID)) })))
}

// AuthorizeWebhookDisabledNotices lets the dispatcher write, as it
// switches a webhook off, the WEBHOOK_DISABLED notifications about it.
func AuthorizeWebhookDisabledNotices(ctx context.Context, webhookID int) context.Context {
	return grant(ctx, "webhook disabled notices", createsFor(typeNotification, webhookOf, webhookID))
}

// webhookOf is the webhook a notification is about.
func webhookOf(m WebhookOwned) (int, bool) { return m.WebhookID() }

// The filters these grants use.
type (
	// CreatedAtFilter filters rows by their creation time.
	CreatedAtFilter interface {
		anyFilter
		WhereCreatedAt(entql.TimeP)
	}
	// WebhookOwned is a mutation of a type with a webhook_id field.
	WebhookOwned interface{ WebhookID() (int, bool) }
	// WebhookRowFilter filters the rows of one webhook (its deliveries).
	WebhookRowFilter interface {
		anyFilter
		WhereWebhookID(entql.IntP)
	}
)

// typePageEvent is PageEvent's ent type name.
const typePageEvent = "PageEvent"
