package schema

import "entgo.io/contrib/entgql"

// viewerIndependent marks a GraphQL field whose value is the same for
// every viewer of one class (roles or token scopes: viewer.Class), so a
// subscription event that selects only such fields is rendered once and
// the bytes are shared by its subscribers (internal/api/share.go reads the
// directive from the served schema). Leave it off any field whose value
// depends on who is asking beyond that class (unread counts, canReply,
// own email): a wrong mark shows one viewer's data to another.
func viewerIndependent() entgql.Annotation {
	return entgql.Directives(entgql.NewDirective("viewerIndependent"))
}
