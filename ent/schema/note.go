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

// Note is staff-only text inside a thread (rule 35). It is its own entity,
// never a Message, so no path that shows messages - messageAdded, the
// messages connection, notifications, webhooks of the visitor's side - can
// carry one; its privacy policy shows it to the page's inbox staff alone.
type Note struct {
	ent.Schema
}

// Fields of the Note.
func (Note) Fields() []ent.Field {
	return []ent.Field{
		field.Int("thread_id").Immutable().Annotations(entgql.Skip()),
		// Declared to carry @viewerIndependent: a note reads the same for
		// every staff member allowed to read it (rule 35).
		field.Int("id").Annotations(viewerIndependent()),
		field.Int("page_id").Immutable().Annotations(entgql.Skip()),
		// Null when a page API token wrote the note.
		field.Int("author_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Text("body").Immutable().Annotations(viewerIndependent()).
			Comment("1..10,000 characters; \"@handle\" of a staff member of the page mentions them."),
		// The staff members "@handle" named, resolved when the note was
		// written (a later handle change does not move a mention).
		field.JSON("mention_ids", []int{}).Default([]int{}).Immutable().Annotations(entgql.Skip()),
		field.Time("created_at").Default(time.Now).Immutable().Annotations(viewerIndependent()).
			Comment("When it was written."),
	}
}

// Edges of the Note.
func (Note) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("thread", Thread.Type).Ref("notes").Field("thread_id").Unique().Required().Immutable().
			Comment("The thread it is about."),
		edge.From("author", User.Type).Ref("notes").Field("author_id").Unique().Immutable().
			Annotations(viewerIndependent()).
			Comment("The staff member who wrote it; null when a page API token did."),
		edge.To("notifications", Notification.Type).Annotations(entgql.Skip()),
	}
}

// Indexes of the Note.
func (Note) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("thread_id", "created_at"),
		// Staff's inbox search looks into a page's notes.
		index.Fields("page_id", "created_at"),
	}
}

// Annotations of the Note.
func (Note) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A staff-only note inside a thread: never visible to the visitor or group members, through any path."),
		entgql.RelayConnection(),
	}
}

// Policy of the Note.
func (Note) Policy() ent.Policy {
	return rule.Policy(rule.FilterNotes())
}
