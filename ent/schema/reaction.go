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

// Reaction is one participant's emoji on a message (rule 37). The API shows
// reactions aggregated (Message.reactions), never one by one.
type Reaction struct {
	ent.Schema
}

// Fields of the Reaction.
func (Reaction) Fields() []ent.Field {
	return []ent.Field{
		field.Int("message_id").Immutable(),
		field.Int("thread_id").Immutable(),
		// reactor_key names who reacted: "u<id>" for a user, "t<id>" for a
		// page API token; one reaction per (message, reactor, emoji).
		field.String("reactor_key").Immutable(),
		field.String("emoji").MaxLen(64).Immutable(),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the Reaction.
func (Reaction) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("message", Message.Type).Ref("reactions").Field("message_id").Unique().Required().Immutable(),
		edge.From("thread", Thread.Type).Ref("reactions").Field("thread_id").Unique().Required().Immutable(),
	}
}

// Indexes of the Reaction.
func (Reaction) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("message_id", "reactor_key", "emoji").Unique(),
	}
}

// Annotations of the Reaction.
func (Reaction) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Policy of the Reaction: whoever reads the thread reads its reactions.
func (Reaction) Policy() ent.Policy {
	return rule.Policy(rule.FilterByVisibleThread())
}
