package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/rule"
)

// Page is a business page that people write to. Its settings are public;
// its inbox, staff and integrations are staff-only (schema.graphql).
type Page struct {
	ent.Schema
}

// Fields of the Page.
func (Page) Fields() []ent.Field {
	return []ent.Field{
		field.Int("id").Annotations(viewerIndependent()),
		field.String("name").NotEmpty().MaxLen(100).Annotations(viewerIndependent()).
			Comment("Display name, 1..100 characters."),
		field.String("handle").NotEmpty().MaxLen(30).Annotations(viewerIndependent()).
			Comment("Unique handle, 3..30 letters, digits, '_' or '.', compared case-insensitively. page(handle:) finds the page by it."),
		field.String("handle_key").Unique().Annotations(entgql.Skip()),
		field.String("about").Optional().Nillable().MaxLen(2000).Annotations(viewerIndependent()).
			Comment("What the page is about, up to 2,000 characters."),
		field.Time("created_at").Default(time.Now).Immutable().Annotations(viewerIndependent()).
			Comment("When the page was created."),
		field.Bool("messaging_enabled").Default(true).
			Comment("The messaging switch (rule 12). false refuses new visitor messages with MESSAGING_DISABLED, unless awayMessage is set."),
		field.String("away_message").Optional().Nillable().MaxLen(1000).
			Comment("Sent back once per burst of visitor messages while messaging is off or outside the availability hours (rule 12); null for none."),
		field.String("time_zone").Default("UTC").
			Comment("IANA time zone of the availability windows, e.g. \"Europe/Paris\"."),
		field.JSON("availability", []schematype.AvailabilityWindow{}).
			Default([]schematype.AvailabilityWindow{}).
			Annotations(entgql.Type("[AvailabilityWindow!]")).
			Comment("Weekly opening hours in timeZone; empty means always open."),
	}
}

// Edges of the Page.
func (Page) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("memberships", PageMembership.Type).Annotations(entgql.Skip()),
		edge.To("threads", Thread.Type).Annotations(entgql.Skip()),
		edge.To("messages", Message.Type).Annotations(entgql.Skip()),
		edge.To("notifications", Notification.Type).Annotations(entgql.Skip()),
		edge.To("blocks", Block.Type).Annotations(entgql.Skip()),
		edge.To("posts", Post.Type).Annotations(entgql.Skip()),
		edge.To("ads", Ad.Type).Annotations(entgql.Skip()),
		edge.To("saved_replies", SavedReply.Type).Annotations(entgql.Skip()),
		edge.To("api_tokens", PageAPIToken.Type).Annotations(entgql.Skip()),
		edge.To("webhooks", Webhook.Type).Annotations(entgql.Skip()),
		edge.To("page_events", PageEvent.Type).Annotations(entgql.Skip()),
	}
}

// Annotations of the Page.
func (Page) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A business page. Anyone signed in may write to it privately; its staff answer from the page's shared inbox."),
		entgql.RelayConnection(),
	}
}

// Policy of the Page.
func (Page) Policy() ent.Policy {
	return rule.Policy(rule.AllowQuery())
}
