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
	"pageinbox/internal/viewer"
)

// Webhook is an integration's endpoint for a page's events (rule 22).
type Webhook struct {
	ent.Schema
}

// Fields of the Webhook.
func (Webhook) Fields() []ent.Field {
	return []ent.Field{
		field.Int("page_id").Immutable().Annotations(entgql.Skip()),
		field.String("url").NotEmpty().MaxLen(2048).Immutable(),
		field.JSON("events", []schematype.WebhookEvent{}).Annotations(entgql.Type("[WebhookEvent!]")),
		// The signing secret: shown once at creation, kept to sign every
		// delivery (the receiver holds the same secret).
		field.String("secret").Sensitive().Immutable().Annotations(entgql.Skip()),
		field.Bool("active").Default(true),
		field.Int("created_by").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the Webhook.
func (Webhook) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("page", Page.Type).Ref("webhooks").Field("page_id").Unique().Required().Immutable(),
		edge.To("deliveries", WebhookDelivery.Type).Annotations(entgql.Skip()),
	}
}

// Annotations of the Webhook.
func (Webhook) Annotations() []schema.Annotation {
	return []schema.Annotation{}
}

// Policy of the Webhook: the page's ADMINs.
func (Webhook) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.WebhookDelivery), rule.FilterPageScoped(viewer.Scope(""), viewer.RoleAdmin))
}
