// Package integration holds what a page's integrations - its API tokens
// (rule 3) and webhooks (rule 22) - have in common when they are created:
// only the page's ADMINs create them, each grants a set of things (scopes,
// events), and each records the person who created it.
package integration

import (
	"cmp"
	"context"
	"slices"

	"pageinbox/ent"
	"pageinbox/ent/page"
	"pageinbox/internal/apierr"
	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
)

// Authorize answers NOT_FOUND for a page that does not exist, refuses
// viewers who may not manage its integrations, and returns the context
// that may write them.
func Authorize(ctx context.Context, client *ent.Client, pageID int) (context.Context, error) {
	ok, err := client.Page.Query().Where(page.ID(pageID)).Exist(ctx)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apierr.New(apierr.NotFound, "page not found")
	}
	return rule.AuthorizeIntegrations(ctx, pageID)
}

// Grants normalises what an integration is granted: sorted, each once. An
// empty list is refused with the message empty.
func Grants[T cmp.Ordered](grants []T, empty string) ([]T, error) {
	if len(grants) == 0 {
		return nil, apierr.New(apierr.BadUserInput, empty)
	}
	slices.Sort(grants)
	return slices.Compact(grants), nil
}

// Creator is the person creating an integration, for its created_by
// column (nil when the viewer is not a person).
func Creator(ctx context.Context) *int {
	if uid, ok := viewer.FromContext(ctx).UserID(); ok {
		return &uid
	}
	return nil
}
