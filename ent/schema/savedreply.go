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
		field.String("shortcut").NotEmpty().MaxLen(50).
			Comment("Unique per page, e.g. \"hours\"; 1..50 characters."),
		// Lower-cased shortcut: unique per page, case-insensitively.
		field.String("shortcut_key").Annotations(entgql.Skip()),
		field.String("title").NotEmpty().MaxLen(200).
			Comment("Name shown in pickers, 1..200 characters."),
		field.Text("body").
			Comment("The text that is sent (sendMessage with savedReplyId)."),
		field.Time("created_at").Default(time.Now).Immutable().
			Comment("When the saved reply was created."),
		field.Time("updated_at").Default(time.Now).
			Comment("When it was last changed."),
	}
}

// Edges of the SavedReply.
func (SavedReply) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("page", Page.Type).Ref("saved_replies").Field("page_id").Unique().Required().Immutable().
			Comment("The page it belongs to."),
	}
}

// Indexes of the SavedReply.
func (SavedReply) Indexes() []ent.Index {
	return []ent.Index{index.Fields("page_id", "shortcut_key").Unique()}
}

// Annotations of the SavedReply.
func (SavedReply) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A canned answer the page's staff send by shortcut (rule 14). ADMIN and MODERATOR only."),
	}
}

// Policy of the SavedReply: the page's ADMIN and MODERATOR staff (rule 14).
func (SavedReply) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.SendReferences), rule.FilterPageScoped(viewer.ScopeManagePage, viewer.RoleAdmin, viewer.RoleModerator))
}
