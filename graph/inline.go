package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// inlineThreadFields are the Thread fields an inbox list resolves without
// reading the database: the columns of the thread row, and the resolvers
// that cmd/gqlgen makes resolve in line (its inlineThreadFields; a test
// keeps the two in step). Anything else (messages, page, canReply,
// assignee, notes, viewers, ...) may read the database.
var inlineThreadFields = map[string]bool{
	"__typename": true, "id": true, "kind": true, "title": true, "createdAt": true,
	"lastMessageAt": true, "snippet": true, "visitorLastReadAt": true, "pageLastReadAt": true,
	"unreadCount": true, "replyWindowEndsAt": true, "status": true, "labels": true,
	"priority": true, "snoozedUntil": true, "waitingSince": true, "visitor": true,
}

// marshalThreadEdges marshals a list of n thread edges. When every field
// selected under the edges' node is in inlineThreadFields, the whole list
// is CPU work of a few microseconds per thread, and it runs on the calling
// goroutine: a goroutine per thread (gqlgen's default) costs more than the
// thread. Otherwise some field reads the database, and the elements are
// marshalled concurrently as gqlgen does, so those reads overlap.
func marshalThreadEdges(ctx context.Context, sel ast.SelectionSet, n int, f func(context.Context, int) graphql.Marshaler) graphql.Array {
	if n < 2 || !edgesInline(graphql.GetOperationContext(ctx), sel) {
		return graphql.MarshalSliceConcurrently(ctx, n, 0, false, f)
	}
	ret := make(graphql.Array, n)
	failed := false
	for i := range n {
		fc := &graphql.FieldContext{Index: &i}
		child := graphql.WithFieldContext(ctx, fc)
		func() {
			defer func() {
				if r := recover(); r != nil {
					graphql.AddError(child, graphql.Recover(child, r))
					failed = true
				}
			}()
			ret[i] = f(child, i)
		}()
	}
	if failed {
		return nil // as gqlgen's concurrent marshaller does
	}
	return ret
}

// edgesInline reports whether the selection of a ThreadEdge asks only for
// fields that resolve without the database.
func edgesInline(oc *graphql.OperationContext, sel ast.SelectionSet) bool {
	for _, ef := range graphql.CollectFields(oc, sel, threadEdgeImplementors) {
		if ef.Name != "node" {
			continue
		}
		for _, tf := range graphql.CollectFields(oc, ef.Selections, threadImplementors) {
			if !inlineThreadFields[tf.Name] || tf.IsDeferred() {
				return false
			}
		}
	}
	return true
}
