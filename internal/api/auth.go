package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"pageinbox/internal/apierr"
	"pageinbox/internal/viewer"
)

// Authenticator turns a bearer token into a viewer.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (*viewer.Viewer, error)
}

type credentialKey struct{}

// bearer extracts the token of an "Authorization: Bearer <token>" value.
func bearer(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", false
	}
	return strings.TrimSpace(token), true
}

// withCredentials keeps the request's bearer token for the operation to
// authenticate. The token is checked per operation (aroundOperations), in
// one place for HTTP and websockets.
func withCredentials(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			next.ServeHTTP(w, r)
			return
		}
		token, ok := bearer(h)
		if !ok {
			writeError(w, http.StatusUnauthorized, apierr.New(apierr.Unauthenticated, `Authorization must be "Bearer <token>"`))
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), credentialKey{}, token)))
	})
}

// wsInit authenticates a websocket at connection_init, from the payload
// {"authorization": "Bearer <token>"}. A bad token closes the socket with
// 4403 at once; the token is then re-checked for every operation, so a
// revoked one stops working without waiting for a reconnect.
func wsInit(auth Authenticator) func(ctx context.Context, p transport.InitPayload) (context.Context, error) {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, error) {
		h := p.Authorization()
		if h == "" {
			return ctx, nil
		}
		token, ok := bearer(h)
		if !ok {
			return nil, apierr.New(apierr.Unauthenticated, `authorization must be "Bearer <token>"`)
		}
		v, err := auth.Authenticate(viewer.WithFreshCredentials(ctx), token)
		if err != nil {
			return nil, err
		}
		return withPerson(context.WithValue(ctx, credentialKey{}, token), v), nil
	}
}

// aroundOperations puts the operation's viewer in its context.
func aroundOperations(auth Authenticator, present func(error) *gqlerror.Error) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		token, ok := ctx.Value(credentialKey{}).(string)
		if !ok {
			return next(ctx)
		}
		v, err := auth.Authenticate(ctx, token)
		if err != nil {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{present(classify(err))}})
		}
		return next(viewer.NewContext(ctx, v))
	}
}
