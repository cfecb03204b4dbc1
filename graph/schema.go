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
		Schema:     servedSchema(parsedSchema),
		Resolvers:  r,
		Directives: DirectiveRoot{SenderVisibility: senderVisibility},
	})
}

// senderVisibility applies rule.SenderVisible to Message.sender. The message
// query always loads sender_type and page_id (rule.LoadTogether), so the
// check never works on a partially loaded message.
func senderVisibility(ctx context.Context, obj any, next graphql.Resolver) (any, error) {
	m, ok := obj.(*ent.Message)
	if !ok || m.SenderType == "" {
		return nil, nil // not a loaded message: show nothing rather than guess
	}
	pageID := 0
	if m.PageID != nil {
		pageID = *m.PageID
	}
	visible, err := rule.SenderVisible(ctx, m.SenderType == message.SenderTypePAGE, pageID)
	if err != nil || !visible {
		return nil, err
	}
	return next(ctx)
}
