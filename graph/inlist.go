package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// inList reports whether the field being resolved belongs to an element
// of a list, so its siblings resolve at the same moment and batching them
// (one statement instead of one each) is worth a short wait. A single
// object - a mutation's payload, a subscription event - is read at once.
func inList(ctx context.Context) bool {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		if fc.Index != nil {
			return true
		}
	}
	return false
}
