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

// PageAPIToken lets an integration act as a page within its scopes
// (rule 3). Only the token's SHA-256 is stored; the token is shown once.
type PageAPIToken struct {
	ent.Schema
}

// Fields of the PageAPIToken.
func (PageAPIToken) Fields() []ent.Field {
	return []ent.Field{
		field.Int("page_id").Immutable().Annotations(entgql.Skip()),
		field.String("name").NotEmpty().MaxLen(100).
			Comment("A label to recognise the token by."),
		field.JSON("scopes", []viewer.Scope{}).Annotations(entgql.Type("[ApiScope!]")).
			Comment("What the token may do."),
		field.Bytes("token_hash").Unique().Immutable().Sensitive().Annotations(entgql.Skip()),
		field.Int("created_by").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Time("created_at").Default(time.Now).Immutable().
			Comment("When the token was created."),
		field.Time("last_used_at").Optional().Nillable().
			Comment("When the token last authenticated a request; null if never."),
		field.Time("revoked_at").Optional().Nillable().
			Comment("When the token was revoked; a revoked token authenticates nothing."),
	}
}

// Edges of the PageAPIToken.
func (PageAPIToken) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("page", Page.Type).Ref("api_tokens").Field("page_id").Unique().Required().Immutable().
			Annotations(entgql.Skip()),
	}
}

// Annotations of the PageAPIToken.
func (PageAPIToken) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A page API token: it acts as the page, with its scopes (rule 3). Its secret is returned once, by createPageApiToken."),
		entgql.Type("PageApiToken"),
	}
}

// Policy of the PageAPIToken: the page's ADMINs list them; tokens never
// see tokens.
func (PageAPIToken) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.FindViewer), rule.FilterPageScoped(viewer.Scope(""), viewer.RoleAdmin))
}
