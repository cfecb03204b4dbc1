package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"pageinbox/internal/rule"
)

// ResponseRequest records one "request" of rule 16: a visitor message that
// arrived while nothing the visitor wrote was waiting for the page, and when
// (if ever) the page's next human message answered it. Responsiveness reads
// a week of these rows, never the messages.
type ResponseRequest struct {
	ent.Schema
}

// Fields of the ResponseRequest.
func (ResponseRequest) Fields() []ent.Field {
	return []ent.Field{
		field.Int("page_id").Immutable(),
		field.Int("thread_id").Immutable(),
		field.Time("requested_at").Immutable(),
		field.Time("answered_at").Optional().Nillable(),
	}
}

// Indexes of the ResponseRequest.
func (ResponseRequest) Indexes() []ent.Index {
	return []ent.Index{index.Fields("page_id", "requested_at")}
}

// Annotations of the ResponseRequest.
func (ResponseRequest) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}

// Policy of the ResponseRequest: aggregated by the server into the public
// Responsiveness figures; rows are never read on a viewer's behalf.
func (ResponseRequest) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.Responsiveness), rule.DenyQuery())
}
