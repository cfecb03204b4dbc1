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
		field.String("url").NotEmpty().MaxLen(2048).Immutable().
			Comment("Where events are POSTed (http or https, at most 2,048 characters)."),
		field.JSON("events", []schematype.WebhookEvent{}).Annotations(entgql.Type("[WebhookEvent!]")).
			Comment("The events the endpoint receives."),
		// The signing secret: shown once at creation or rotation, kept to
		// sign every delivery (the receiver holds the same secret).
		// "whsec_<base64>" (Standard Webhooks); the HMAC key is the
		// decoded part (internal/webhook/sign.go reads older forms).
		field.String("secret").Sensitive().Annotations(entgql.Skip()),
		// After a rotation the previous secret keeps signing, next to the
		// new one, until previous_secret_expires_at (rule 33: 24 h).
		field.String("previous_secret").Sensitive().Optional().Nillable().Annotations(entgql.Skip()),
		field.Time("previous_secret_expires_at").Optional().Nillable().Annotations(entgql.Skip()),
		field.Bool("active").Default(true).
			Comment("false when the endpoint no longer receives events."),
		field.String("disabled_reason").Optional().Nillable().
			Comment("Why the server switched the endpoint off (410 Gone, or failing for 5 days); null while active or when never switched off. enableWebhook clears it."),
		// When the endpoint's unbroken run of failed attempts began; null
		// after a success. Five days of it switch the endpoint off.
		field.Time("failing_since").Optional().Nillable().Annotations(entgql.Skip()),
		field.Int("created_by").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Time("created_at").Default(time.Now).Immutable().
			Comment("When the webhook was registered."),
	}
}

// Edges of the Webhook.
func (Webhook) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("page", Page.Type).Ref("webhooks").Field("page_id").Unique().Required().Immutable().
			Comment("The page whose events it receives."),
		edge.To("deliveries", WebhookDelivery.Type).Annotations(entgql.Skip()),
		// The WEBHOOK_DISABLED notifications about it (rule 33).
		edge.To("notifications", Notification.Type).Annotations(entgql.Skip()),
	}
}

// Annotations of the Webhook.
func (Webhook) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("An endpoint that receives the page's events as signed HTTP POST requests (rule 22). ADMIN only."),
	}
}

// Policy of the Webhook: the page's ADMINs.
func (Webhook) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.WebhookDelivery), rule.FilterPageScoped(viewer.Scope(""), viewer.RoleAdmin))
}
