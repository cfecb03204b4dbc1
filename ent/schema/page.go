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
		field.String("name").NotEmpty().MaxLen(100).Annotations(viewerIndependent()),
		field.String("handle").NotEmpty().MaxLen(30).Annotations(viewerIndependent()),
		field.String("handle_key").Unique().Annotations(entgql.Skip()),
		field.String("about").Optional().Nillable().MaxLen(2000).Annotations(viewerIndependent()),
		field.Time("created_at").Default(time.Now).Immutable().Annotations(viewerIndependent()),
		field.Bool("messaging_enabled").Default(true),
		field.String("away_message").Optional().Nillable().MaxLen(1000),
		field.String("time_zone").Default("UTC"),
		field.JSON("availability", []schematype.AvailabilityWindow{}).
			Default([]schematype.AvailabilityWindow{}).
			Annotations(entgql.Type("[AvailabilityWindow!]")),
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
	}
}

// Annotations of the Page.
func (Page) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
	}
}

// Policy of the Page.
func (Page) Policy() ent.Policy {
	return rule.Policy(rule.AllowQuery())
}
