package graph

import (
	"context"
	"errors"

	"entgo.io/ent/privacy"

	"pageinbox/ent"
	"pageinbox/internal/apierr"
	"pageinbox/internal/globalid"
	"pageinbox/internal/rule"
)

// node resolves a global id. What does not exist and what the viewer may
// not see are both null, without an error (rule 28): Relay and Apollo
// clients treat an error as a failed query and drop the data beside it.
func (r *Resolver) node(ctx context.Context, id int) (ent.Noder, error) {
	if globalid.TypeOf(id) == "User" && !rule.MayLookUpPeople(ctx) {
		return nil, nil
	}
	n, err := r.Client.Noder(ctx, id)
	if ent.IsNotFound(err) || errors.Is(err, privacy.Deny) {
		return nil, nil
	}
	return n, err
}

// nodes resolves several ids; missing and hidden ones are null in place.
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
