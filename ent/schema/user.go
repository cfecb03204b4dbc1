package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"pageinbox/internal/rule"
)

// User is a person with an account. Name and handle are public; the email is
// shown to the user alone (graph resolver), the password only as a hash.
type User struct {
	ent.Schema
}

// Fields of the User.
func (User) Fields() []ent.Field {
	return []ent.Field{
		field.Int("id").Annotations(viewerIndependent()),
		field.String("name").NotEmpty().MaxLen(100).Annotations(viewerIndependent()).
			Comment("Display name, 1..100 characters."),
		field.String("handle").NotEmpty().MaxLen(30).Annotations(viewerIndependent()).
			Comment("Unique handle, 3..30 letters, digits, '_' or '.', compared case-insensitively. user(handle:) finds the person by it."),
		// Lower-cased handle: the unique index makes handles unique
		// case-insensitively on both databases.
		field.String("handle_key").Unique().Annotations(entgql.Skip()),
		field.String("email").NotEmpty().MaxLen(254).Annotations(entgql.Skip()),
		field.String("email_key").Unique().Annotations(entgql.Skip()),
		field.String("password_hash").Sensitive().Annotations(entgql.Skip()),
		field.Time("created_at").Default(time.Now).Immutable().Annotations(viewerIndependent()).
			Comment("When the account was created."),
	}
}

// Edges of the User.
func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("sessions", Session.Type).Annotations(entgql.Skip()),
		edge.To("memberships", PageMembership.Type).Annotations(entgql.Skip()),
		edge.To("visitor_threads", Thread.Type).Annotations(entgql.Skip()),
		edge.To("notifications", Notification.Type).Annotations(entgql.Skip()),
		edge.To("sent_messages", Message.Type).Annotations(entgql.Skip()),
		edge.To("blocks", Block.Type).Annotations(entgql.Skip()),
		edge.To("comments", Comment.Type).Annotations(entgql.Skip()),
		edge.To("notes", Note.Type).Annotations(entgql.Skip()),
		edge.To("push_subscriptions", PushSubscription.Type).Annotations(entgql.Skip()),
		edge.From("group_threads", Thread.Type).Ref("members").Through("group_memberships", GroupMember.Type).
			Annotations(entgql.Skip()),
	}
}

// Annotations of the User.
func (User) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A person with an account. Name and handle are public; email, threads and notifications are the person's own."),
		entgql.RelayConnection(),
	}
}

// Policy of the User.
func (User) Policy() ent.Policy {
	return rule.Policy(rule.AllowQuery())
}
