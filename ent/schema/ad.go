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
		field.String("title").NotEmpty().MaxLen(200).
			Comment("Headline, 1..200 characters."),
		field.String("body").Optional().Nillable().MaxLen(2000).
			Comment("Ad text, up to 2,000 characters."),
		// Exposed as imageUrl (schema.graphql), the contract's casing.
		field.String("image_url").Optional().Nillable().MaxLen(2048).Annotations(entgql.Skip()),
		field.Bool("active").Default(true).
			Comment("false once the page stops running the ad."),
		field.Time("created_at").Default(time.Now).Immutable().
			Comment("When the ad was created."),
	}
}

// Edges of the Ad.
func (Ad) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("page", Page.Type).Ref("ads").Field("page_id").Unique().Required().Immutable().
			Comment("The page that runs the ad."),
	}
}

// Annotations of the Ad.
func (Ad) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("An ad the page runs elsewhere. A visitor who starts a conversation from it passes its id as adId, and staff see it on the message (rule 9). ADMIN and MODERATOR only."),
	}
}

// Policy of the Ad: the page's ADMIN and MODERATOR staff see its ads, as
// page.ads shows them (an ANALYST reads responsiveness only, rule 2);
// visitors only ever see the snapshot stored with their message.
func (Ad) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.SendReferences), rule.FilterPageScoped(viewer.ScopeManagePage, viewer.RoleAdmin, viewer.RoleModerator))
}
