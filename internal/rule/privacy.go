// Package rule holds pageinbox's product and privacy rules as named
// functions: who may see a thread, who may write, when a page may answer.
//
// Query rules are attached to the ent schemas (ent/schema/*.go) as privacy
// policies, so every read path - node(id), nodes, nested edges, mutations that
// load an object - is filtered the same way (privacy.go). The server's own
// reads past those filters are named purposes that a schema lists (allowance.go);
// there is no blanket bypass. Mutations are denied by default: a write needs
// a Grant naming the rows it covers (grant.go), handed out only by the
// Authorize* functions of this package after they checked the viewer.
// Which fields a viewer sees is decided in visibility.go.
//
// The package deliberately imports no generated ent code, so ent's code
// generator can always load the schemas that import it; the rules use ent's
// typed EntQL filters through small interfaces that internal/store checks
// the generated code against at compile time.
package rule

import (
	"context"
	"slices"

	"entgo.io/ent"
	"entgo.io/ent/entql"
	"entgo.io/ent/privacy"

	"pageinbox/internal/viewer"
)

// queryRule adapts a function to privacy.QueryRule.
type queryRule func(context.Context, ent.Query) error

func (f queryRule) EvalQuery(ctx context.Context, q ent.Query) error { return f(ctx, q) }

// Typed filters. The rules below are written against ent's EntQL filters
// (WhereVisitorID(entql.IntP), ...), described here as small interfaces
// because this package cannot import the generated code. The generated
// *ent.XFilter types satisfy them; internal/store asserts that at compile
// time, so a renamed or removed field breaks the build instead of a rule.
// WhereAny and WhereHas<Edge>Matching come from ent/template/privacyfilter.tmpl.
type (
	// anyFilter is what every generated filter has: an OR of alternatives.
	anyFilter interface {
		WhereAny(alternatives ...func(any))
	}
	// ThreadFilter is what the thread rules use of *ent.ThreadFilter.
	ThreadFilter interface {
		anyFilter
		WhereID(entql.IntP)
		WherePostID(entql.IntP)
		WhereVisitorID(entql.IntP)
		WherePageID(entql.IntP)
		WhereHasGroupMembershipsMatching(func(any))
	}
	// GroupMemberFilter is what the thread rules use of *ent.GroupMemberFilter.
	GroupMemberFilter interface {
		anyFilter
		WhereThreadID(entql.IntP)
		WhereUserID(entql.IntP)
	}
	// ThreadIDFilter filters rows by their thread_id (responsiveness
	// records).
	ThreadIDFilter interface {
		anyFilter
		WhereThreadID(entql.IntP)
	}
	// CommentFilter is what the moderation grant uses of *ent.CommentFilter.
	CommentFilter interface {
		anyFilter
		WhereHasPostMatching(func(any))
	}
	// BlockFilter is what the block grants use of *ent.BlockFilter.
	BlockFilter interface {
		anyFilter
		WhereUserID(entql.IntP)
		WhereBy(entql.StringP)
	}
	// ThreadRowFilter filters rows that belong to a thread (messages,
	// group memberships) by the thread's visibility.
	ThreadRowFilter interface {
		anyFilter
		WhereHasThreadMatching(func(any))
	}
	// NotificationFilter is what the notification rule uses of
	// *ent.NotificationFilter.
	NotificationFilter interface {
		anyFilter
		WhereRecipientID(entql.IntP)
	}
	// PageMembershipFilter is what the staff-list rule uses of
	// *ent.PageMembershipFilter.
	PageMembershipFilter interface {
		anyFilter
		WhereUserID(entql.IntP)
		WherePageID(entql.IntP)
	}
	// PageRowFilter filters rows that belong to a page (ads, saved
	// replies, API tokens, webhooks and their deliveries).
	PageRowFilter interface {
		anyFilter
		WherePageID(entql.IntP)
	}
)

// filterWith adapts a rule written against the typed filter F to a query
// rule. A query whose filter is not an F is denied (the compile-time
// assertions in internal/store make that a programming error).
func filterWith[F anyFilter](apply func(context.Context, F) error) privacy.QueryRule {
	return queryRule(func(ctx context.Context, q ent.Query) error {
		pf, ok := q.(interface{ PrivacyFilter() any })
		if !ok {
			return privacy.Denyf("rule: query %T has no privacy filter", q)
		}
		f, ok := pf.PrivacyFilter().(F)
		if !ok {
			return privacy.Denyf("rule: the filter of %T lacks the methods this rule uses", q)
		}
		if err := apply(ctx, f); err != nil {
			return err
		}
		return privacy.Skip
	})
}

// as adapts a typed alternative (or edge condition) to the func(any) that
// WhereAny and WhereHas<Edge>Matching pass the generated filter to. A filter
// of the wrong type matches nothing: the rule fails closed.
func as[F anyFilter](apply func(F)) func(any) {
	return func(f any) {
		if typed, ok := f.(F); ok {
			apply(typed)
			return
		}
		if af, ok := f.(anyFilter); ok {
			matchNothing(af)
		}
	}
}

// oneOf is "the field is one of ids" (entql has no IN); callers handle an
// empty list with matchNothing.
func oneOf(ids []int) entql.IntP {
	if len(ids) == 1 {
		return entql.IntEQ(ids[0])
	}
	eqs := make([]entql.IntP, len(ids))
	for i, id := range ids {
		eqs[i] = entql.IntEQ(id)
	}
	return entql.IntOr(eqs[0], eqs[1], eqs[2:]...)
}

// matchNothing makes a filter match no row: the reader sees an empty result
// or NOT_FOUND, never an authorization error, so existence does not leak.
func matchNothing(f anyFilter) { f.WhereAny() }

// inboxPages returns the pages whose inbox the viewer reads: pages where
// the user is ADMIN or MODERATOR, or the token's page with READ_THREADS.
func inboxPages(ctx context.Context, v *viewer.Viewer) ([]int, error) {
	return pagesWith(ctx, v, viewer.ScopeReadThreads, viewer.RoleAdmin, viewer.RoleModerator)
}

// visibleThreads returns rule 11 as a thread filter: the visitor, group
// members, and the page's inbox staff and tokens.
func visibleThreads(ctx context.Context) (func(ThreadFilter), error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return func(f ThreadFilter) { matchNothing(f) }, nil
	}
	pages, err := inboxPages(ctx, v)
	if err != nil {
		return nil, err
	}
	var alternatives []func(any)
	if uid, ok := v.UserID(); ok {
		alternatives = append(alternatives,
			as(func(t ThreadFilter) { t.WhereVisitorID(entql.IntEQ(uid)) }),
			as(func(t ThreadFilter) {
				t.WhereHasGroupMembershipsMatching(as(func(m GroupMemberFilter) { m.WhereUserID(entql.IntEQ(uid)) }))
			}))
	}
	if len(pages) > 0 {
		alternatives = append(alternatives, as(func(t ThreadFilter) { t.WherePageID(oneOf(pages)) }))
	}
	return func(f ThreadFilter) { f.WhereAny(alternatives...) }, nil
}

// FilterThreads limits thread queries to the threads the viewer may see.
func FilterThreads() privacy.QueryRule {
	return filterWith(func(ctx context.Context, f ThreadFilter) error {
		visible, err := visibleThreads(ctx)
		if err != nil {
			return err
		}
		visible(f)
		return nil
	})
}

// LoadTogetherColumns makes a query load the columns its schema's
// LoadTogether annotation names (Message: what SenderVisible reads). GraphQL
// queries select only the columns a client asked for, and a client asking
// for sender without senderType must still get rule 11 applied. It runs
// first in the policy and decides nothing.
func LoadTogetherColumns() privacy.QueryRule {
	return queryRule(func(_ context.Context, q ent.Query) error {
		if lt, ok := q.(interface{ LoadTogether() }); ok {
			lt.LoadTogether()
		}
		return privacy.Skip
	})
}

// LoadTogether is a schema annotation: a query that selects column With
// also loads Columns, because a rule reads them to decide what the column
// may show (Message: whether the sender may be named). The generator checks
// that the names are fields of the schema and generates LoadTogether on the
// type's query (ent/template/loadcolumns.tmpl), which LoadTogetherColumns
// calls.
type LoadTogether struct {
	With    string
	Columns []string
}

// Name implements schema.Annotation.
func (LoadTogether) Name() string { return "LoadTogether" }

// FilterByVisibleThread limits a query on rows that belong to a thread to
// rows of threads the viewer may see.
func FilterByVisibleThread() privacy.QueryRule {
	return filterWith(func(ctx context.Context, f ThreadRowFilter) error {
		visible, err := visibleThreads(ctx)
		if err != nil {
			return err
		}
		f.WhereHasThreadMatching(as(visible))
		return nil
	})
}

// FilterNotifications shows each user their own notifications.
func FilterNotifications() privacy.QueryRule {
	return filterWith(func(ctx context.Context, f NotificationFilter) error {
		uid, ok := viewer.FromContext(ctx).UserID()
		if !ok {
			matchNothing(f)
			return nil
		}
		f.WhereRecipientID(entql.IntEQ(uid))
		return nil
	})
}

// FilterMemberships shows a staff list to the page's ADMIN and MODERATOR
// staff (and to a MANAGE_PAGE token of the page), and each user their own
// memberships.
func FilterMemberships() privacy.QueryRule {
	return filterWith(func(ctx context.Context, f PageMembershipFilter) error {
		v := viewer.FromContext(ctx)
		// As page.members shows them: an ANALYST reads responsiveness
		// only (rule 2), so fetching the team by node id must not show
		// more than the page does.
		pages, err := pagesWith(ctx, v, viewer.ScopeManagePage, viewer.RoleAdmin, viewer.RoleModerator)
		if err != nil {
			return err
		}
		var alternatives []func(any)
		if uid, ok := v.UserID(); ok {
			alternatives = append(alternatives, as(func(m PageMembershipFilter) { m.WhereUserID(entql.IntEQ(uid)) }))
		}
		if len(pages) > 0 {
			alternatives = append(alternatives, as(func(m PageMembershipFilter) { m.WherePageID(oneOf(pages)) }))
		}
		if len(alternatives) == 0 {
			matchNothing(f)
			return nil
		}
		f.WhereAny(alternatives...)
		return nil
	})
}

// FilterPageScoped shows rows that belong to a page to the page's staff
// with one of roles, or to a token holding scope.
func FilterPageScoped(scope viewer.Scope, roles ...viewer.Role) privacy.QueryRule {
	return filterWith(func(ctx context.Context, f PageRowFilter) error {
		pages, err := pagesWith(ctx, viewer.FromContext(ctx), scope, roles...)
		if err != nil {
			return err
		}
		if len(pages) == 0 {
			matchNothing(f)
			return nil
		}
		f.WherePageID(oneOf(pages))
		return nil
	})
}

// pagesWith lists the pages on which the viewer holds one of roles, or the
// token's page when it holds scope.
func pagesWith(ctx context.Context, v *viewer.Viewer, scope viewer.Scope, roles ...viewer.Role) ([]int, error) {
	if t, ok := v.Token(); ok {
		if slices.Contains(t.Scopes, scope) {
			return []int{t.PageID}, nil
		}
		return nil, nil
	}
	have, err := v.Roles(ctx)
	if err != nil {
		return nil, err
	}
	var pages []int
	for p, r := range have {
		if slices.Contains(roles, r) {
			pages = append(pages, p)
		}
	}
	return pages, nil
}

// DenyQuery refuses every read the rules before it did not allow: sessions,
// blocks, token hashes and outbox rows are never read on a viewer's behalf,
// only For a named purpose (allowance.go).
func DenyQuery() privacy.QueryRule {
	return queryRule(func(context.Context, ent.Query) error {
		return privacy.Denyf("rule: only the server reads this")
	})
}

// AllowQuery makes a type public (users, pages, posts and comments).
func AllowQuery() privacy.QueryRule {
	return queryRule(func(context.Context, ent.Query) error { return privacy.Allow })
}
