package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"pageinbox/internal/rule"
)

// Notification tells one user that something happened in a thread.
type Notification struct {
	ent.Schema
}

// Fields of the Notification.
func (Notification) Fields() []ent.Field {
	return []ent.Field{
		field.Int("recipient_id").Immutable().Annotations(entgql.Skip()),
		field.Enum("kind").Values("NEW_MESSAGE", "PAGE_REPLY", "PRIVATE_REPLY", "GROUP_MESSAGE", "ASSIGNED", "MENTIONED", "WEBHOOK_DISABLED").Immutable().
			Comment("NEW_MESSAGE: a visitor wrote to a page you staff. PAGE_REPLY: a page answered you. PRIVATE_REPLY: a page answered your comment privately. GROUP_MESSAGE: a message in a group chat you are in. ASSIGNED: a thread was assigned to you. MENTIONED: a staff note mentions you. WEBHOOK_DISABLED: the server switched off a webhook of a page you administer (rule 33)."),
		field.Int("thread_id").Immutable().Annotations(entgql.Skip()),
		field.Int("message_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Int("page_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		// MENTIONED: the note that mentions the recipient.
		field.Int("note_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		// WEBHOOK_DISABLED: the webhook that was switched off.
		field.Int("webhook_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")).
			Comment("When it happened."),
		field.Time("read_at").Optional().Nillable().
			Comment("When the person marked it read; null while unread."),
	}
}

// Edges of the Notification.
func (Notification) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("recipient", User.Type).Ref("notifications").Field("recipient_id").Unique().Required().Immutable().
			Annotations(entgql.Skip()),
		edge.From("thread", Thread.Type).Ref("notifications").Field("thread_id").Unique().Required().Immutable().
			Comment("The conversation it is about."),
		edge.From("message", Message.Type).Ref("notifications").Field("message_id").Unique().Immutable().
			Comment("The message that caused it, if any."),
		edge.From("page", Page.Type).Ref("notifications").Field("page_id").Unique().Immutable().
			Comment("The page involved, if any."),
		edge.From("note", Note.Type).Ref("notifications").Field("note_id").Unique().Immutable().
			Comment("MENTIONED: the staff note that mentions you."),
		edge.From("webhook", Webhook.Type).Ref("notifications").Field("webhook_id").Unique().Immutable().
			Comment("The webhook that was switched off (WEBHOOK_DISABLED); null for other kinds."),
	}
}

// Indexes of the Notification.
func (Notification) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("recipient_id", "read_at"),
		// A replica expands a group message's notifications for its own
		// subscribers by message (live.notificationFanIn).
		index.Fields("message_id"),
	}
}

// Annotations of the Notification.
func (Notification) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("An item of a person's notification list (rule 20), delivered live (notificationAdded) and kept until read."),
		entgql.RelayConnection(),
	}
}

// Policy of the Notification.
func (Notification) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.EventDelivery, rule.PushDelivery), rule.FilterNotifications())
}
