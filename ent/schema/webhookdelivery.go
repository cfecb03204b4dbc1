package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
)

// WebhookDelivery is one event for one webhook: the transactional outbox
// row written with the change, then its delivery state (rule 22).
type WebhookDelivery struct {
	ent.Schema
}

// Fields of the WebhookDelivery.
func (WebhookDelivery) Fields() []ent.Field {
	return []ent.Field{
		field.Int("webhook_id").Immutable().Annotations(entgql.Skip()),
		// Copied from the webhook so privacy filters by page without a join.
		field.Int("page_id").Immutable().Annotations(entgql.Skip()),
		field.Enum("event").GoType(schematype.WebhookEvent("")).
			Immutable().Annotations(entgql.Type("WebhookEvent")).
			Comment("The event delivered. MESSAGE_CREATED, MESSAGE_UPDATED (edits, unsends, reactions), THREAD_CREATED, THREAD_UPDATED (status, assignee, labels, snooze), NOTE_ADDED (staff notes), COMMENT_CREATED (on the wall), PRIVATE_REPLY_SENT."),
		// event_id is the page event's global id (PageEvent.id): the
		// webhook-id header, the same for every webhook that gets the
		// event, on every retry and redelivery (rule 33). delivery_id
		// names this row for the server's own bookkeeping.
		field.String("event_id").Immutable().Annotations(entgql.Skip()),
		field.String("delivery_id").Unique().Immutable().Annotations(entgql.Skip()),
		// Mutable only so that unsending a message can remove its text
		// from payloads still stored (internal/teaminbox).
		field.Text("payload").Annotations(entgql.Skip()),
		field.Enum("status").Values("PENDING", "SUCCEEDED", "FAILED").Default("PENDING").
			Annotations(entgql.Type("DeliveryStatus")).
			Comment("PENDING until delivered (SUCCEEDED) or given up after the last retry (FAILED)."),
		field.Int("attempts").Default(0).
			Comment("HTTP attempts so far."),
		field.Int("last_status_code").Optional().Nillable().
			Comment("HTTP status of the last attempt; null when it got no response."),
		field.String("last_error").Optional().Nillable().
			Comment("Why the last attempt failed (timeout, refused address, error status); null after a success."),
		field.Time("next_attempt_at").Optional().Nillable().
			Comment("When the next retry is due; null when none is planned."),
		// A replica working on the delivery holds it until this time, so
		// each delivery is attempted by one replica at a time.
		field.Time("locked_until").Optional().Nillable().Annotations(entgql.Skip()),
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")).
			Comment("When the event happened."),
	}
}

// Edges of the WebhookDelivery.
func (WebhookDelivery) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("webhook", Webhook.Type).Ref("deliveries").Field("webhook_id").Unique().Required().Immutable().
			Annotations(entgql.Skip()),
	}
}

// Indexes of the WebhookDelivery.
func (WebhookDelivery) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("status", "next_attempt_at"),
		index.Fields("webhook_id", "created_at"),
	}
}

// Annotations of the WebhookDelivery.
func (WebhookDelivery) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("One event queued for one webhook endpoint, with the state of its delivery attempts."),
		entgql.RelayConnection(),
	}
}

// Policy of the WebhookDelivery: the page's ADMINs read the log.
func (WebhookDelivery) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.WebhookDelivery, rule.UnsendScrub), rule.FilterPageScoped(viewer.Scope(""), viewer.RoleAdmin))
}
