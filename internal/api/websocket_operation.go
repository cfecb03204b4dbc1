package api

// One operation on a socket, from subscribe/start to complete.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"unique"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"pageinbox/internal/apierr"
	"pageinbox/internal/push"
	"pageinbox/internal/requestid"
)

// start runs an operation.
func (c *wsConn) start(id string, payload json.RawMessage) {
	if id == "" {
		c.protocolError("an operation needs an id")
		return
	}
	c.mu.Lock()
	_, dup := c.ops[id]
	base := c.ctx
	c.mu.Unlock()
	if dup {
		if c.legacy() {
			c.errors(id, []*gqlerror.Error{{Message: "an operation with this id is running"}})
			return
		}
		c.close(closeDuplicateID, truncate("Subscriber for "+id+" already exists"))
		return
	}
	started := graphql.Now()
	params := &graphql.RawParams{}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	if err := dec.Decode(params); err != nil {
		// error ends the operation: graphql-transport-ws forbids a
		// complete after it.
		c.errors(id, []*gqlerror.Error{codedError(apierr.New(apierr.BadUserInput, "the subscribe payload is not a GraphQL request"))})
		return
	}
	params.ReadTime = graphql.TraceTiming{Start: started, End: graphql.Now()}
	ctx := graphql.StartOperationTrace(requestid.Sub(base, id))
	rc, err := c.exec.CreateOperationContext(ctx, params)
	if err != nil {
		resp := c.exec.DispatchError(graphql.WithOperationContext(ctx, rc), err)
		if errcode.GetErrorKind(err) == errcode.KindProtocol {
			c.errors(id, resp.Errors) // ends the operation: no complete
			return
		}
		c.next(id, resp) // presented: coded, and capped in number
		c.complete(id)
		return
	}
	release, capped := c.slot.startOperation(rc.Operation.Operation == ast.Subscription)
	if capped != nil {
		c.errors(id, []*gqlerror.Error{codedError(capped)})
		return
	}
	ctx, cancel := context.WithCancel(graphql.WithOperationContext(ctx, rc))
	op := &wsOp{c: c, id: id, ready: make(chan struct{}), release: release}
	op.cancel = func() {
		op.stopped.Store(true)
		cancel()
	}
	c.mu.Lock()
	if c.closed.Load() {
		c.mu.Unlock()
		cancel()
		release()
		return
	}
	c.ops[id] = op
	c.mu.Unlock()

	if rc.Operation.Operation != ast.Subscription {
		go op.run(ctx, rc) // queries and mutations: never on the reader
		return
	}
	op.done = ctx
	ctx = push.NewContext(ctx, op)
	op.ctx = ctx
	func() {
		defer func() {
			if r := recover(); r != nil {
				op.fail(rc.Recover(ctx, r))
			}
		}()
		op.responses, op.ctx = c.exec.DispatchOperation(ctx, rc)
	}()
	op.isReady.Store(true)
	close(op.ready)
	if op.responses == nil { // it panicked
		op.cancel() // a producer that attached finishes, and closes
		if !op.attached {
			op.Close()
		}
		return
	}
	if !op.attached {
		// The resolver failed (its error is the one response) or does
		// not drive its stream: wait on it like gqlgen does.
		go op.loop()
	}
}

// stop ends an operation at the client's request.
func (c *wsConn) stop(id string) {
	c.mu.Lock()
	op := c.ops[id]
	c.mu.Unlock()
	if op != nil {
		op.cancel()
		if !op.attached {
			return // its loop ends and completes
		}
		// A driven stream finishes on its producer's goroutine (its
		// context's AfterFunc), which calls Close.
	}
}

// wsOp is one running operation; for a subscription it is also the
// push.Sink its producer drives.
type wsOp struct {
	c       *wsConn
	id      string
	cancel  context.CancelFunc
	release func() // uncounts it from the socket's caps
	// ctx is the operation's (as gqlgen's executor returned it): the
	// producer calls Deliver from its own goroutine, without it.
	ctx       context.Context
	responses graphql.ResponseHandler
	ready     chan struct{} // closed once responses is set
	isReady   atomic.Bool   // ready is closed (checked first: cheaper than the channel)
	// done is the operation's own cancellable context, under ctx: its
	// Done is one step away, where ctx's walks a dozen gqlgen values.
	done context.Context
	// stopped is set before cancel cancels done. done is cancelled only
	// by cancel or by the socket's close, which sets wsConn.closed first,
	// so a delivery checks the two flags rather than done.Err(): the
	// context is another object, cold in cache in each of 10,000
	// operations, and reading it was 3 % of a fan-out's server CPU.
	stopped  atomic.Bool
	attached bool                  // the producer drives it
	keyed    bool                  // share is computed (on the first delivery)
	shares   bool                  // renderings are shared (share.go)
	share    unique.Handle[string] // the shared-rendering key

	mu    sync.Mutex
	errs  []*gqlerror.Error
	ended bool
}

// Error records an error that ends the subscription.
func (o *wsOp) Error(err *gqlerror.Error) {
	o.mu.Lock()
	o.errs = append(o.errs, err)
	o.mu.Unlock()
}

func (o *wsOp) fail(err error) {
	var ge *gqlerror.Error
	if !errors.As(err, &ge) {
		ge = &gqlerror.Error{Message: fmt.Sprint(err)}
	}
	o.Error(ge)
}

// Close ends the operation: its errors, or complete.
func (o *wsOp) Close() {
	o.mu.Lock()
	if o.ended {
		o.mu.Unlock()
		return
	}
	o.ended = true
	errs := o.errs
	o.mu.Unlock()
	o.release()
	c := o.c
	c.mu.Lock()
	if c.ops[o.id] == o {
		delete(c.ops, o.id)
	}
	c.mu.Unlock()
	o.cancel()
	if c.isClosed() {
		return
	}
	if len(errs) > 0 {
		c.errors(o.id, errs)
		return
	}
	c.complete(o.id)
}

// loop waits on a subscription that its producer does not drive.
func (o *wsOp) loop() {
	defer o.Close()
	defer func() {
		if r := recover(); r != nil {
			o.fail(o.ctxOperation().Recover(o.ctx, r))
		}
	}()
	for {
		resp := o.responses(o.ctx)
		if resp == nil || !o.c.next(o.id, resp) {
			return
		}
	}
}

// run executes a query or mutation (and its deferred parts).
func (o *wsOp) run(ctx context.Context, rc *graphql.OperationContext) {
	defer o.Close()
	defer func() {
		if r := recover(); r != nil {
			o.fail(rc.Recover(ctx, r))
		}
	}()
	responses, ctx := o.c.exec.DispatchOperation(ctx, rc)
	for {
		resp := responses(ctx)
		if resp == nil || !o.c.next(o.id, resp) {
			return
		}
	}
}
