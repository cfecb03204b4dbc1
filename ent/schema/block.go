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

// Block is one direction of a block between a page and a user (rule 13):
// by USER means the user blocked the page (it may not message them), by PAGE
// means the page's staff blocked the user (they may not message the page).
type Block struct {
	ent.Schema
}

// Fields of the Block.
func (Block) Fields() []ent.Field {
	return []ent.Field{
		field.Int("page_id").Immutable(),
		field.Int("user_id").Immutable(),
		field.Enum("by").Values("USER", "PAGE").Immutable(),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the Block.
func (Block) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("page", Page.Type).Ref("blocks").Field("page_id").Unique().Required().Immutable(),
		edge.From("user", User.Type).Ref("blocks").Field("user_id").Unique().Required().Immutable(),
	}
}

// Indexes of the Block.
func (Block) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("page_id", "user_id", "by").Unique(),
		index.Fields("user_id"),
	}
}

// Annotations of the Block.
func (Block) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}

// Policy of the Block: read by the server when it checks a send, and listed
// through the blocking service for the two sides.
func (Block) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.BlockCheck), rule.DenyQuery())
}
