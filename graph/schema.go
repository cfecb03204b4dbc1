package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"pageinbox/ent"
	"pageinbox/ent/message"
	"pageinbox/internal/rule"
)

// NewSchema returns the executable schema with its directives.
func NewSchema(r *Resolver) graphql.ExecutableSchema {
	return NewExecutableSchema(Config{
		Resolvers: r,
		Directives: DirectiveRoot{
			SenderVisibility: senderVisibility,
		},
	})
}

// senderVisibility hides who sent a PAGE message from all but the page's
// inbox staff (rule 11); everyone else sees the page as the sender.
func senderVisibility(ctx context.Context, obj any, next graphql.Resolver) (any, error) {
	m, ok := obj.(*ent.Message)
	if !ok || m.SenderType != message.SenderTypePAGE || m.PageID == nil {
		return next(ctx)
	}
	staff, err := rule.IsInboxStaff(ctx, *m.PageID)
	if err != nil {
		return nil, err
	}
	if !staff {
		return nil, nil
	}
	return next(ctx)
}
