package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"pageinbox/internal/rule"
)

// RateEvent is one counted event of a rate limit (rules 23 and 30): a
// message sent, a failed log-in, a sign-up. The limits count these rows,
// so every replica that shares the database sees the same count.
type RateEvent struct {
	ent.Schema
}

// Fields of the RateEvent.
func (RateEvent) Fields() []ent.Field {
	return []ent.Field{
		// key names the limit and who it counts, e.g. "msg:u12" or
		// "login-addr:203.0.113.7".
		field.String("key").MaxLen(300).Immutable(),
		field.Time("at").Immutable(),
	}
}

// Indexes of the RateEvent: a limit reads one key's newest rows.
func (RateEvent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("key", "at")}
}

// Annotations of the RateEvent.
func (RateEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}

// Policy of the RateEvent: the server's own bookkeeping.
func (RateEvent) Policy() ent.Policy {
	return rule.Policy(rule.DenyQuery())
}
