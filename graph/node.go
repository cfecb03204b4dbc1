package graph

import (
	"context"
	"errors"

	"entgo.io/ent/privacy"
	"github.com/99designs/gqlgen/graphql"

	"pageinbox/ent"
	"pageinbox/internal/apierr"
	"pageinbox/internal/globalid"
	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
)

// node resolves a global id. What does not exist and what the viewer may
// not see are both null, without an error (rule 28): Relay and Apollo
// clients treat an error as a failed query and drop the data beside it.
func (r *Resolver) node(ctx context.Context, id int) (ent.Noder, error) {
	if globalid.TypeOf(id) == "User" && !rule.MayLookUpPeople(ctx) {
		return nil, nil
	}
	if p := staffPageByID(ctx, id); p != nil {
		return p, nil
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

// pageByIDFields are the Page fields that need nothing of the page but
// its id: the inbox's own queries.
var pageByIDFields = map[string]bool{
	"__typename": true, "id": true, "threads": true, "unreadThreadCount": true,
}

// staffPageByID spares the staff inbox's node(id: page) its read of the
// page row: when the viewer is on the page's staff, the page exists (a
// membership is a row that references it, and pages are readable by
// everyone), and when the operation asks the page for nothing but the
// fields above, the id is all the resolvers below use. Otherwise nil,
// and the page is read as usual.
func staffPageByID(ctx context.Context, id int) *ent.Page {
	if globalid.TypeOf(id) != "Page" {
		return nil
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || fc.Field.Name != "node" {
		return nil
	}
	roles, err := viewer.FromContext(ctx).Roles(ctx)
	if err != nil {
		return nil
	}
	if _, staff := roles[id]; !staff {
		return nil
	}
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, []string{"Page", "Node"}) {
		if !pageByIDFields[f.Name] {
			return nil
		}
	}
	return &ent.Page{ID: id}
}
