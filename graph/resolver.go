// Package graph is the GraphQL layer: gqlgen resolvers that translate
// between the API and the services under internal/. Resolvers stay thin;
// rules live in internal/rule and the services, and privacy in the ent
// policies, so no resolver can bypass them.
package graph

import (
	"pageinbox/ent"
	"pageinbox/internal/account"
	"pageinbox/internal/apitoken"
	"pageinbox/internal/attachment"
	"pageinbox/internal/clock"
	"pageinbox/internal/inbox"
	"pageinbox/internal/live"
	"pageinbox/internal/messaging"
	"pageinbox/internal/pages"
	"pageinbox/internal/teaminbox"
	"pageinbox/internal/wall"
	"pageinbox/internal/webhook"
	"pageinbox/internal/webpush"
)

// Resolver holds the services the resolvers call.
type Resolver struct {
	Client         *ent.Client
	Clock          clock.Clock
	Accounts       *account.Service
	PageService    *pages.Service
	Messaging      *messaging.Service
	Inbox          *inbox.Service
	Streams        *live.Streams
	Wall           *wall.Service
	Files          *attachment.Files
	WebhookService *webhook.Service
	TokenService   *apitoken.Service
	TeamInbox      *teaminbox.Service
	Push           *webpush.Service
}
