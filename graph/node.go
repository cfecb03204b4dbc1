package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"pageinbox/ent"
	"pageinbox/internal/apierr"
	"pageinbox/internal/rule"
)

// node resolves a global id. What the viewer may not see is reported like
// what does not exist: null, with a NOT_FOUND error on the path.
func (r *Resolver) node(ctx context.Context, id int) (ent.Noder, error) {
	n, err := r.Client.Noder(ctx, id)
	if _, isUser := n.(*ent.User); isUser && !rule.MayLookUpUsersByID(ctx) {
		n, err = nil, &ent.NotFoundError{}
	}
	if err != nil {
		if ent.IsNotFound(err) {
			graphql.AddError(ctx, apierr.New(apierr.NotFound, "no node with this id"))
			return nil, nil
		}
		return nil, err
	}
	return n, nil
}

// nodes resolves several ids; missing ones are null in place.
func (r *Resolver) nodes(ctx context.Context, ids []int) ([]ent.Noder, error) {
	if len(ids) > 100 {
		return nil, apierr.New(apierr.LimitExceeded, "at most 100 ids")
	}
	out := make([]ent.Noder, len(ids))
	for i, id := range ids {
		n, err := r.node(ctx, id)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}
