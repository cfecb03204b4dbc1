package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
)

// MessageRevision is an earlier body of a PAGE message, kept when its
// sender edits or unsends it so the page's ADMINs can audit their staff
// (rule 37). Messages of visitors and group members have none: what they
// took back is kept nowhere.
type MessageRevision struct {
	ent.Schema
}

// Fields of the MessageRevision.
func (MessageRevision) Fields() []ent.Field {
	return []ent.Field{
		field.Int("message_id").Immutable(),
		field.Int("page_id").Immutable(),
		field.Text("body").Immutable(),
		// When this body was written: the message's creation for the
		// first revision, the edit that produced it for later ones.
		field.Time("edited_at").Immutable(),
	}
}

// Edges of the MessageRevision.
func (MessageRevision) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("message", Message.Type).Ref("revisions").Field("message_id").Unique().Required().Immutable(),
	}
}

// Indexes of the MessageRevision.
func (MessageRevision) Indexes() []ent.Index {
	return []ent.Index{index.Fields("message_id")}
}

// Annotations of the MessageRevision: the GraphQL type is written by hand
// (schema.graphql) and bound to this entity.
func (MessageRevision) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Policy of the MessageRevision: ADMINs of the page only, never a token.
func (MessageRevision) Policy() ent.Policy {
	return rule.Policy(rule.FilterPageScoped(viewer.Scope(""), viewer.RoleAdmin))
}
