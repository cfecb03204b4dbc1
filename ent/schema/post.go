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

// Post is a page's post on its wall (rule 17). A GROUP_CHAT post promotes a
// group chat people join from it (rule 18).
type Post struct {
	ent.Schema
}

// Fields of the Post.
func (Post) Fields() []ent.Field {
	return []ent.Field{
		field.Int("page_id").Immutable().Annotations(entgql.Skip()),
		// The staff member who wrote it; posts appear as the page, so this
		// is kept for the record only.
		field.Int("created_by").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Enum("kind").Values("STATUS", "GROUP_CHAT").Default("STATUS").Immutable().
			Annotations(entgql.Type("PostKind")).
			Comment("STATUS: a plain post. GROUP_CHAT: a post that promotes a group chat signed-in users join (rule 18)."),
		field.Text("body").Immutable().
			Comment("The text of the post."),
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")).
			Comment("When the post was published."),
		// Kept by the comment path, so listing posts never counts rows.
		field.Int("comment_count").Default(0).
			Comment("How many comments the post has."),
	}
}

// Edges of the Post.
func (Post) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("page", Page.Type).Ref("posts").Field("page_id").Unique().Required().Immutable().
			Comment("The page that published the post."),
		edge.To("comments", Comment.Type).Annotations(entgql.RelayConnection()).
			Comment("The comments, oldest first."),
		edge.To("group_chat", Thread.Type).Unique().
			Comment("For GROUP_CHAT posts, the chat that signed-in users join from the post (joinGroupChat); null otherwise."),
	}
}

// Indexes of the Post.
func (Post) Indexes() []ent.Index {
	return []ent.Index{index.Fields("page_id", "created_at")}
}

// Annotations of the Post.
func (Post) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A post on a page's wall. Public, also without signing in (rule 17)."),
		entgql.RelayConnection(),
	}
}

// Policy of the Post: posts are public (rule 17).
func (Post) Policy() ent.Policy {
	return rule.Policy(rule.AllowQuery())
}
