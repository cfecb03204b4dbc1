package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"pageinbox/internal/rule"
)

// RateWindow is one key's sliding window of a rate limit (rules 23 and
// 30): the times of the events it counted - messages a sender sent,
// failed log-ins of an account or an address, sign-ups of an address. The
// limits live in the database so that every replica sharing it counts the
// same events. One row per key, so a check locks and rewrites one small
// row (internal/ratelimit).
type RateWindow struct {
	ent.Schema
}

// Fields of the RateWindow.
func (RateWindow) Fields() []ent.Field {
	return []ent.Field{
		// key names the limit and whom it counts, e.g. "msg:u12" or
		// "login-addr:203.0.113.7".
		field.String("key").MaxLen(300).Unique().Immutable(),
		// times are the counted events in Unix nanoseconds, ascending,
		// at most the limit's maximum; older ones are dropped on write.
		field.JSON("times", []int64{}),
		// last_at is the newest time (Unix nanoseconds), for the sweep of
		// idle windows.
		field.Int64("last_at"),
		// accepted tells whether the last write counted its event
		// (PostgreSQL answers it from the same statement).
		field.Bool("accepted").Default(true),
	}
}

// Annotations of the RateWindow.
func (RateWindow) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}

// Policy of the RateWindow: the server's own bookkeeping.
func (RateWindow) Policy() ent.Policy {
	return rule.Policy(rule.DenyQuery())
}
