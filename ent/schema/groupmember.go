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

// GroupMember is a user's membership of a GROUP thread (rule 18), with the
// member's own read mark.
type GroupMember struct {
	ent.Schema
}

// Fields of the GroupMember.
func (GroupMember) Fields() []ent.Field {
	return []ent.Field{
		field.Int("thread_id"),
		field.Int("user_id"),
		field.Time("joined_at").Default(time.Now).Immutable(),
		field.Int("read_seq").Default(0),
		field.Time("last_read_at").Optional().Nillable(),
		// False until the member's first message, which carries the POST
		// referral: they came to the conversation from the post.
		field.Bool("has_posted").Default(false),
	}
}

// Edges of the GroupMember.
func (GroupMember) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("thread", Thread.Type).Field("thread_id").Unique().Required(),
		edge.To("user", User.Type).Field("user_id").Unique().Required(),
	}
}

// Indexes of the GroupMember.
func (GroupMember) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id")}
}

// Annotations of the GroupMember.
func (GroupMember) Annotations() []schema.Annotation {
	return []schema.Annotation{
		field.ID("thread_id", "user_id"),
		entgql.Skip(),
	}
}

// Policy of the GroupMember: rows of the threads the viewer can see.
func (GroupMember) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.GroupChatJoin, rule.NotifyRecipients), rule.FilterByVisibleThread())
}
