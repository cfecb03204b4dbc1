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

// PageEvent is one entry of a page's event log (rule 34): every event the
// page's webhooks carry, written in the transaction of the change whether
// or not the page has webhooks. Its deliveries copy its id and body, so
// the log and the webhooks speak of the same event.
type PageEvent struct {
	ent.Schema
}

// Fields of the PageEvent.
func (PageEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Int("page_id").Immutable().Annotations(entgql.Skip()),
		field.Enum("type").GoType(schematype.WebhookEvent("")).Immutable().
			Annotations(entgql.Type("WebhookEvent")).
			Comment("What happened."),
		// The thread and message the event is about, when it is about
		// one; resolved through the reader's own privacy (schema.graphql).
		field.Int("thread_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Int("message_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		// Mutable only so that unsending a message removes its text from
		// the log too (internal/messaging, rule 37).
		field.Text("payload").
			Comment("The exact JSON body its webhook deliveries carry."),
		field.Time("created_at").Default(time.Now).Immutable().
			Comment("When it happened."),
	}
}

// Edges of the PageEvent.
func (PageEvent) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("page", Page.Type).Ref("page_events").Field("page_id").Unique().Required().Immutable().
			Annotations(entgql.Skip()),
	}
}

// Indexes of the PageEvent.
func (PageEvent) Indexes() []ent.Index {
	return []ent.Index{
		// Page.events pages by id within a page; pruning goes by age.
		index.Fields("page_id", "id"),
		index.Fields("created_at"),
	}
}

// Annotations of the PageEvent.
func (PageEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("One event of a page's event log: what its webhooks receive, with the same id (the webhook-id header) and the same body. Kept at least 7 days, oldest first (rule 34)."),
		entgql.RelayConnection(),
	}
}

// Policy of the PageEvent: the page's inbox staff (ADMIN, MODERATOR) and
// its READ_THREADS tokens read the log; the outbox, the unsend scrub and
// the pruner work on the server's behalf.
func (PageEvent) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.WebhookDelivery, rule.UnsendScrub),
		rule.FilterPageScoped(viewer.ScopeReadThreads, viewer.RoleAdmin, viewer.RoleModerator))
}
