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
			SenderVisibility: r.senderVisibility,
		},
	})
}

// senderVisibility applies rule.SenderVisible to Message.sender.
func (r *Resolver) senderVisibility(ctx context.Context, obj any, next graphql.Resolver) (any, error) {
	m, ok := obj.(*ent.Message)
	if !ok {
		return nil, nil
	}
	senderType, pageID := m.SenderType, m.PageID
	// entgql loads only the columns a query selects: a query asking for
	// sender but not senderType (or page) leaves them zero. Never guess:
	// read them.
	if senderType == "" || (senderType == message.SenderTypePAGE && pageID == nil) {
		// Reading the two columns of a message the viewer already sees.
		full, err := r.Client.Message.Query().
			Where(message.ID(m.ID)).
			Select(message.FieldSenderType, message.FieldPageID).
			Only(rule.System(ctx))
		if err != nil {
			return nil, err
		}
		senderType, pageID = full.SenderType, full.PageID
	}
	isPage := senderType == message.SenderTypePAGE
	pid := 0
	if pageID != nil {
		pid = *pageID
	}
	visible, err := rule.SenderVisible(ctx, isPage, pid)
	if err != nil || !visible {
		return nil, err
	}
	return next(ctx)
}
