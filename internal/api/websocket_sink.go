package api

// A subscription its producer drives (internal/push): no goroutine of its
// own while idle; the producer's goroutine renders and writes each event.

import (
	"github.com/99designs/gqlgen/graphql"

	"pageinbox/internal/push"
)

var _ push.Sink = (*wsOp)(nil)

// Attach: the producer drives this subscription (called while
// DispatchOperation runs the resolver, on the same goroutine).
func (o *wsOp) Attach() { o.attached = true }

// Deliver renders v through the executor, or takes the rendering another
// subscriber of the same value and operation made (share.go), and writes
// it.
func (o *wsOp) Deliver(v any, send func()) bool {
	if !o.isReady.Load() {
		<-o.ready // the first value may come while DispatchOperation returns
	}
	if o.responses == nil || o.stopped.Load() || o.c.isClosed() {
		return false
	}
	if !o.keyed {
		o.keyed = true
		o.share, o.shares = o.c.owner.shared.shareKey(o.ctx, o.ctxOperation())
	}
	if !o.shares || v == nil {
		return o.render(send)
	}
	renders := &o.c.owner.renders
	e, leader := renders.take(renderKey{value: v, key: o.share})
	if !leader {
		if !e.ready.Load() {
			select {
			case <-e.done:
			case <-o.done.Done():
				return false
			}
		}
		if e.payload != nil {
			renders.reused.Add(1)
			return o.c.nextPayload(o.id, e.payload)
		}
		return o.render(send) // the leader's could not be shared
	}
	// The rendering is published before the leader writes it: the others
	// must not wait on the leader's socket, which may be slow or stuck
	// until the write timeout.
	published := false
	defer func() {
		if !published { // no result, or the executor panicked
			renders.publish(e, nil)
		}
	}()
	resp := o.execute(send)
	if resp == nil {
		return false
	}
	if plain(resp) {
		// A copy: gqlgen reuses the operation's buffer for its next value.
		payload := append(append(append(make([]byte, 0, len(resp.Data)+9), `{"data":`...), resp.Data...), '}')
		renders.publish(e, payload)
		published = true
		return o.c.nextPayload(o.id, payload)
	}
	renders.publish(e, nil) // not shareable: the others render their own
	published = true
	return o.c.next(o.id, resp)
}

// render executes and writes one value of this subscriber's own.
func (o *wsOp) render(send func()) bool {
	resp := o.execute(send)
	return resp != nil && o.c.next(o.id, resp)
}

// execute puts the value on the channel and runs the executor on it.
func (o *wsOp) execute(send func()) (resp *graphql.Response) {
	send()
	defer func() {
		if r := recover(); r != nil {
			o.fail(o.ctxOperation().Recover(o.ctx, r))
			resp = nil
		}
	}()
	return o.responses(o.ctx)
}

func (o *wsOp) ctxOperation() *graphql.OperationContext { return graphql.GetOperationContext(o.ctx) }
