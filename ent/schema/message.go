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
)

// Message is one message in a thread, numbered by seq (1, 2, 3...).
type Message struct {
	ent.Schema
}

// Fields of the Message.
func (Message) Fields() []ent.Field {
	return []ent.Field{
		field.Int("thread_id").Immutable().Annotations(entgql.Skip()),
		field.Int("id").Annotations(viewerIndependent()),
		field.Int("seq").Immutable().Annotations(viewerIndependent()).
			Comment("Position in the thread: 1, 2, 3... with no gaps (rule 7). Resume a subscription with messageAdded(after: seq)."),
		field.Enum("sender_type").Values("VISITOR", "PAGE", "MEMBER", "SYSTEM").Immutable().
			Annotations(entgql.Type("SenderType")).Annotations(viewerIndependent()).
			Comment("Who sent it: the visitor, the page (a staff member or a page API token), a group member, or the server itself (away messages)."),
		field.Int("sender_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Int("page_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		// body and attachments change only by the sender's edit or unsend
		// (internal/teaminbox); the same for everyone who reads the message.
		field.Text("body").Annotations(viewerIndependent()).
			Comment("The text, up to 10,000 characters; empty only when the message carries attachments, and for everyone once it was unsent."),
		field.JSON("attachments", []schematype.Attachment{}).Default([]schematype.Attachment{}).
			Annotations(entgql.Skip()),
		// The quoted message, always of the same thread.
		field.Int("reply_to_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Time("edited_at").Optional().Nillable().Annotations(viewerIndependent()).
			Comment("When its sender last edited it; null if never."),
		field.Int("edit_count").Default(0).Annotations(viewerIndependent()).
			Comment("How many times its sender edited it (at most 5, within 15 minutes of sending)."),
		// Unsent: body and attachments are gone, the marker stays.
		field.Time("removed_at").Optional().Nillable().Annotations(viewerIndependent()).
			Comment("When its sender unsent it: body \"\" and attachments [] for everyone from then on; null otherwise."),
		field.Enum("referral_source").Values("AD", "COMMENT", "POST").Optional().Nillable().Immutable().
			Annotations(entgql.Skip()),
		field.JSON("referral_ad", &schematype.AdSnapshot{}).Optional().Immutable().
			Annotations(entgql.Skip()),
		field.Int("referral_comment_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Int("referral_post_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		// Exposed as clientMessageId (schema.graphql), the contract's casing.
		field.String("client_message_id").Optional().Nillable().MaxLen(128).Immutable().
			Annotations(entgql.Skip()),
		// sender_key names who sent the message for idempotency: "u<id>" for a
		// user, "t<id>" for a page API token.
		field.String("sender_key").Optional().Nillable().Annotations(entgql.Skip()),
		field.Time("created_at").Default(time.Now).Immutable().Annotations(viewerIndependent()).
			Comment("When the server stored the message."),
	}
}

// Edges of the Message.
func (Message) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("thread", Thread.Type).Ref("messages").Field("thread_id").Unique().Required().Immutable().
			Annotations(viewerIndependent()).
			Comment("The thread the message belongs to."),
		// @senderVisibility applies rule 11: who sent a PAGE message is for
		// staff eyes only.
		edge.From("sender", User.Type).Ref("sent_messages").Field("sender_id").Unique().Immutable().
			Annotations(entgql.Directives(entgql.NewDirective("senderVisibility"))).Annotations(viewerIndependent()).
			Comment("The person who sent it. For PAGE messages shown to the page's staff only (rule 11); null for page API tokens and SYSTEM messages."),
		edge.From("page", Page.Type).Ref("messages").Field("page_id").Unique().Immutable().Annotations(viewerIndependent()).
			Comment("The page, for PAGE and SYSTEM messages; null otherwise."),
		edge.To("last_of", Thread.Type).Unique().Annotations(entgql.Skip()),
		edge.To("notifications", Notification.Type).Annotations(entgql.Skip()),
		// replyTo: the quoted message, read through the same privacy rule.
		edge.To("replies", Message.Type).Annotations(entgql.Skip()).
			From("reply_to").Field("reply_to_id").Unique().Immutable().
			Comment("The quoted message, in the same thread (it reads as removed once unsent)."),
		edge.To("reactions", Reaction.Type).Annotations(entgql.Skip()),
		edge.To("revisions", MessageRevision.Type).Annotations(entgql.Skip()),
	}
}

// Indexes of the Message.
func (Message) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("thread_id", "seq").Unique(),
		// The database keeps one message per (sender, clientMessageId).
		index.Fields("sender_key", "client_message_id").Unique(),
		index.Fields("sender_id", "created_at"),
	}
}

// Annotations of the Message.
func (Message) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("One message of a thread. Messages are numbered by seq, 1, 2, 3... per thread."),
		entgql.RelayConnection(),
		// The @senderVisibility directive needs these to hide a staff
		// sender from visitors (rule 11), even when a client asked for
		// sender alone.
		rule.LoadTogether{With: "sender_id", Columns: []string{"sender_type", "page_id"}},
	}
}

// Policy of the Message.
func (Message) Policy() ent.Policy {
	return rule.Policy(rule.LoadTogetherColumns(), rule.AllowFor(rule.Dedup, rule.EventDelivery, rule.SignedLink, rule.StaleCheck, rule.QuotedMessage), rule.FilterByVisibleThread())
}
