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

// Comment is a user's comment on a post (rule 17). The page may answer it
// once, privately (rule 6).
type Comment struct {
	ent.Schema
}

// Fields of the Comment.
func (Comment) Fields() []ent.Field {
	return []ent.Field{
		field.Int("post_id").Immutable().Annotations(entgql.Skip()),
		field.Int("author_id").Immutable().Annotations(entgql.Skip()),
		// Body is exposed by a resolver that blanks hidden comments for
		// non-staff.
		field.Text("body").Immutable().Annotations(entgql.Skip()),
		field.Time("created_at").Default(time.Now).Immutable().
			Comment("When the comment was written."),
		field.Bool("hidden").Default(false).
			Comment("true when the page's staff hid the comment: its body is then blank for everyone but staff."),
		field.Time("private_reply_at").Optional().Nillable().
			Comment("When the page replied privately to the comment (rule 6); null before that."),
		// The private reply; unique, so the database itself allows one per
		// comment even when two staff members answer at the same instant.
		field.Int("private_reply_message_id").Optional().Nillable().Unique().Annotations(entgql.Skip()),
	}
}

// Edges of the Comment.
func (Comment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("post", Post.Type).Ref("comments").Field("post_id").Unique().Required().Immutable().
			Comment("The post the comment is on."),
		edge.From("author", User.Type).Ref("comments").Field("author_id").Unique().Required().Immutable().
			Comment("Who wrote the comment."),
	}
}

// Indexes of the Comment.
func (Comment) Indexes() []ent.Index {
	return []ent.Index{index.Fields("post_id", "created_at")}
}

// Annotations of the Comment.
func (Comment) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A comment a signed-in user left on a post of a page's wall. Public, also without signing in (rule 17)."),
		entgql.RelayConnection(),
	}
}

// Policy of the Comment: comments are public (rule 17).
func (Comment) Policy() ent.Policy {
	return rule.Policy(rule.AllowQuery())
}
