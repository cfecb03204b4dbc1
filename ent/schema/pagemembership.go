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
	"pageinbox/internal/viewer"
)

// PageMembership makes a user staff of a page with a role.
type PageMembership struct {
	ent.Schema
}

// Fields of the PageMembership.
func (PageMembership) Fields() []ent.Field {
	return []ent.Field{
		field.Int("page_id").Immutable().Annotations(entgql.Skip()),
		field.Int("user_id").Immutable().Annotations(entgql.Skip()),
		field.Enum("role").GoType(viewer.Role("")).Annotations(entgql.Type("PageRole")).
			Comment("ADMIN: everything. MODERATOR: messages, comments and saved replies. ANALYST: reads responsiveness only."),
		field.Time("created_at").Default(time.Now).Immutable().Annotations(entgql.Skip()),
	}
}

// Edges of the PageMembership.
func (PageMembership) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("page", Page.Type).Ref("memberships").Field("page_id").Unique().Required().Immutable().
			Comment("The page."),
		edge.From("user", User.Type).Ref("memberships").Field("user_id").Unique().Required().Immutable().
			Comment("The staff member."),
	}
}

// Indexes of the PageMembership.
func (PageMembership) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("page_id", "user_id").Unique(),
		index.Fields("user_id"),
	}
}

// Annotations of the PageMembership.
func (PageMembership) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A person's role on a page's staff (rule 2)."),
	}
}

// Policy of the PageMembership.
func (PageMembership) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.StaffLookup, rule.NotifyRecipients, rule.WebhookDisabledNotice), rule.FilterMemberships())
}
