package api

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"pageinbox/internal/apierr"
)

// capErrors keeps at most max errors in a response and then one
// LIMIT_EXCEEDED error saying how many were left out (rule 29): a document
// full of unknown fields, directives or arguments, or thousands of
// failing aliases, must not answer a list as large as the server's memory.
// The parser's token cap bounds how many errors validation can make; this
// bounds what goes out.
func capErrors(max int) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if resp == nil || max <= 0 || len(resp.Errors) <= max {
			return resp
		}
		left := len(resp.Errors) - max
		kept := make(gqlerror.List, max, max+1)
		copy(kept, resp.Errors)
		resp.Errors = append(kept, &gqlerror.Error{
			Message:    fmt.Sprintf("too many errors: %d more left out (at most %d per response)", left, max),
			Extensions: map[string]any{"code": string(apierr.LimitExceeded)},
		})
		return resp
	}
}
