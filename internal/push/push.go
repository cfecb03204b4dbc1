// Package push connects a subscription's producer (internal/live) with a
// transport that lets the producer drive delivery (internal/api's
// websockets).
//
// Why: gqlgen's model is a goroutine per subscription waiting on the
// resolver's channel, and the producer needs its own goroutine waiting on
// the broker. At 10,000 idle subscriptions those goroutines and their
// stacks are most of the server's memory, and every event costs two
// goroutine hand-offs. With a Sink in the resolver's context, the producer
// runs only when an event arrives (on one of a few pump workers), puts the
// value on the channel and asks the transport to render and write it at
// once; an idle subscription owns no goroutine at all.
//
// Transports without a Sink (server-sent events) keep the goroutine model;
// producers support both.
package push

import (
	"context"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Sink is one subscription operation of a transport that can be driven by
// its producer.
type Sink interface {
	// Attach is called by the producer, synchronously while the resolver
	// runs, to say it will drive this subscription: the transport then
	// does not wait on the channel.
	Attach()
	// Deliver has the value v written to the client: the transport calls
	// send (which puts v on the subscription's channel), renders it
	// through the GraphQL executor and writes it, before returning. It
	// returns false once the subscription is over. Calls are sequential.
	Deliver(v any, send func()) bool
	// Error records an error that ends the subscription (sent instead of
	// "complete").
	Error(err *gqlerror.Error)
	// Close is called once the producer closed the channel: the operation
	// ends with its error, if any, or "complete".
	Close()
}

type key struct{}

// NewContext returns ctx carrying the sink.
func NewContext(ctx context.Context, s Sink) context.Context {
	return context.WithValue(ctx, key{}, s)
}

// FromContext returns the sink of ctx, or nil.
func FromContext(ctx context.Context) Sink {
	s, _ := ctx.Value(key{}).(Sink)
	return s
}
