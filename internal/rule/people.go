package rule

import (
	"context"

	"pageinbox/internal/viewer"
)

// MayLookUpPeople reports whether the caller may find a person by id
// (node, nodes) or by handle (Query.user): signed-in users and page API
// tokens may, anonymous callers may not (rule 28), so nobody can list the
// user directory without an account. People stay visible where they act in
// public - a comment's author on a page's wall - because that is content
// the page shows to everyone, not a directory.
func MayLookUpPeople(ctx context.Context) bool {
	return viewer.FromContext(ctx) != nil
}
