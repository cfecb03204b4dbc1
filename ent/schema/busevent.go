package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"pageinbox/internal/rule"
)

// BusEvent is one live event waiting for the NATS relay: the event bus's
// transactional outbox (internal/pubsub). It is written in the transaction
// of the change, so a committed change always reaches the stream and a
// rolled-back one never does, and it is deleted once NATS acknowledged it.
type BusEvent struct {
	ent.Schema
}

// Fields of the BusEvent.
func (BusEvent) Fields() []ent.Field {
	return []ent.Field{
		// event_id is the stream's Nats-Msg-Id: a relay that publishes the
		// row twice (it crashed before deleting it) is deduplicated.
		field.String("event_id").Unique().Immutable(),
		// payload is the pubsub.Event as JSON (identifiers only).
		field.Text("payload").Immutable(),
		// The replica relaying the row holds it until locked_until; the
		// writing replica holds it from the start, so the others sweep
		// only rows whose relay died.
		field.Time("locked_until"),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Indexes of the BusEvent.
func (BusEvent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("locked_until")}
}

// Annotations of the BusEvent.
func (BusEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}

// Policy of the BusEvent: the server's own bookkeeping, read only by the
// relay.
func (BusEvent) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.EventRelay), rule.DenyQuery())
}
