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

// SavedReply is a canned answer of a page (rule 14).
type SavedReply struct {
	ent.Schema
}

// Fields of the SavedReply.
func (SavedReply) Fields() []ent.Field {
	return []ent.Field{
		field.Int("page_id").Immutable().Annotations(entgql.Skip()),
		field.String("shortcut").NotEmpty().MaxLen(50),
		// Lower-cased shortcut: unique per page, case-insensitively.
		field.String("shortcut_key").Annotations(entgql.Skip()),
		field.String("title").NotEmpty().MaxLen(200),
		field.Text("body"),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("updated_at").Default(time.Now),
	}
}

// Edges of the SavedReply.
func (SavedReply) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("page", Page.Type).Ref("saved_replies").Field("page_id").Unique().Required().Immutable(),
	}
}

// Indexes of the SavedReply.
func (SavedReply) Indexes() []ent.Index {
	return []ent.Index{index.Fields("page_id", "shortcut_key").Unique()}
}

// Annotations of the SavedReply.
func (SavedReply) Annotations() []schema.Annotation {
	return []schema.Annotation{}
}

// Policy of the SavedReply: the page's ADMIN and MODERATOR staff (rule 14).
func (SavedReply) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.SendReferences), rule.FilterPageScoped(viewer.ScopeManagePage, viewer.RoleAdmin, viewer.RoleModerator))
}
