package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
)

// Ad is a page's ad that people can message the page from (rule 9).
type Ad struct {
	ent.Schema
}

// Fields of the Ad.
func (Ad) Fields() []ent.Field {
	return []ent.Field{
		field.Int("page_id").Immutable().Annotations(entgql.Skip()),
		field.String("title").NotEmpty().MaxLen(200),
		field.String("body").Optional().Nillable().MaxLen(2000),
		// Exposed as imageUrl (schema.graphql), the contract's casing.
		field.String("image_url").Optional().Nillable().MaxLen(2048).Annotations(entgql.Skip()),
		field.Bool("active").Default(true),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the Ad.
func (Ad) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("page", Page.Type).Ref("ads").Field("page_id").Unique().Required().Immutable(),
	}
}

// Annotations of the Ad.
func (Ad) Annotations() []schema.Annotation {
	return []schema.Annotation{}
}

// Policy of the Ad: the page's ADMIN and MODERATOR staff see its ads, as
// page.ads shows them (an ANALYST reads responsiveness only, rule 2);
// visitors only ever see the snapshot stored with their message.
func (Ad) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.SendReferences), rule.FilterPageScoped(viewer.ScopeManagePage, viewer.RoleAdmin, viewer.RoleModerator))
}
