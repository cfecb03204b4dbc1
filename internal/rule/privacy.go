// Package rule holds pageinbox's product and privacy rules as named
// functions: who may see a thread, who may write, when a page may answer.
//
// Query rules are attached to the ent schemas (ent/schema/*.go) as privacy
// policies, so every read path - node(id), nodes, nested edges, mutations that
// load an object - is filtered the same way. Mutations are denied by default:
// a write needs a Grant, and grants are only handed out by the Authorize*
// functions of this package after they checked the viewer.
//
// The package deliberately imports no generated ent code, so ent's code
// generator can always load the schemas that import it.
package rule

import (
	"context"
	"reflect"
	"slices"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/privacy"

	"pageinbox/internal/viewer"
)

// System returns a context that bypasses privacy policies. It is for the
// server's own bookkeeping that no viewer performs (loading a session to find
// the viewer, writing notifications for recipients, delivering events). Every
// caller says why in a comment.
func System(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

// queryRule adapts a function to privacy.QueryRule.
type queryRule func(context.Context, ent.Query) error

func (f queryRule) EvalQuery(ctx context.Context, q ent.Query) error { return f(ctx, q) }

// filterQuery adds pred to a query, or denies when the query cannot be
// filtered (which would be a programming error).
//
// Every generated query has Where(...predicate.X), where predicate.X is a
// named func(*sql.Selector). This package must not import the generated
// code (ent's generator compiles the schemas, which import this package),
// so the method is called through reflection; it costs well under a
// microsecond per query.
func filterQuery(q ent.Query, pred func(*sql.Selector)) error {
	where := reflect.ValueOf(q).MethodByName("Where")
	if !where.IsValid() || !where.Type().IsVariadic() || where.Type().NumIn() != 1 {
		return privacy.Denyf("rule: query %T cannot be filtered", q)
	}
	p := reflect.ValueOf(pred)
	if elem := where.Type().In(0).Elem(); p.Type().ConvertibleTo(elem) {
		where.Call([]reflect.Value{p.Convert(elem)})
		return privacy.Skip
	}
	return privacy.Denyf("rule: query %T cannot be filtered", q)
}

// nothing matches no row: the reader sees an empty result or NOT_FOUND,
// never an authorization error, so existence does not leak.
func nothing(s *sql.Selector) { s.Where(sql.False()) }

// inboxPages returns the pages whose inbox the viewer reads: pages where
// the user is ADMIN or MODERATOR, or the token's page with READ_THREADS.
func inboxPages(ctx context.Context, v *viewer.Viewer) ([]any, error) {
	if t, ok := v.Token(); ok {
		if slices.Contains(t.Scopes, viewer.ScopeReadThreads) {
			return []any{t.PageID}, nil
		}
		return nil, nil
	}
	roles, err := v.Roles(ctx)
	if err != nil {
		return nil, err
	}
	var pages []any
	for page, role := range roles {
		if role.HandlesMessages() {
			pages = append(pages, page)
		}
	}
	return pages, nil
}

// visibleThreads returns the predicate of rule 11 on the threads table:
// the visitor, group members, and the page's inbox staff and tokens.
func visibleThreads(ctx context.Context) (func(*sql.Selector), error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nothing, nil
	}
	pages, err := inboxPages(ctx, v)
	if err != nil {
		return nil, err
	}
	uid, isUser := v.UserID()
	return func(s *sql.Selector) {
		var or []*sql.Predicate
		if isUser {
			or = append(or, sql.EQ(s.C("visitor_id"), uid))
			gm := sql.Table("group_members")
			members := sql.Select(gm.C("user_id")).From(gm).
				Where(sql.And(sql.ColumnsEQ(gm.C("thread_id"), s.C("id")), sql.EQ(gm.C("user_id"), uid)))
			or = append(or, sql.Exists(members))
		}
		if len(pages) > 0 {
			or = append(or, sql.In(s.C("page_id"), pages...))
		}
		if len(or) == 0 {
			s.Where(sql.False())
			return
		}
		s.Where(sql.Or(or...))
	}, nil
}

// FilterThreads limits thread queries to the threads the viewer may see.
func FilterThreads() privacy.QueryRule {
	return queryRule(func(ctx context.Context, q ent.Query) error {
		pred, err := visibleThreads(ctx)
		if err != nil {
			return err
		}
		return filterQuery(q, pred)
	})
}

// FilterMessages limits message queries to messages of visible threads. It
// also makes every message query load the columns SenderVisible reads:
// GraphQL queries select only the columns a client asked for, and a client
// asking for sender without senderType must still get rule 11 applied.
func FilterMessages() privacy.QueryRule {
	visible := FilterByVisibleThread()
	return queryRule(func(ctx context.Context, q ent.Query) error {
		if lc, ok := q.(columnLoader); ok {
			lc.LoadColumnsWith("sender_id", "sender_type", "page_id")
		}
		return visible.EvalQuery(ctx, q)
	})
}

// columnLoader is implemented by every generated query (ent/template).
type columnLoader interface {
	LoadColumnsWith(with string, columns ...string)
}

// FilterByVisibleThread limits a query on a table with a thread_id column
// to rows of threads the viewer may see.
func FilterByVisibleThread() privacy.QueryRule {
	return queryRule(func(ctx context.Context, q ent.Query) error {
		pred, err := visibleThreads(ctx)
		if err != nil {
			return err
		}
		return filterQuery(q, func(s *sql.Selector) {
			threads := sql.Table("threads")
			sub := sql.Select(threads.C("id")).From(threads)
			pred(sub)
			s.Where(sql.In(s.C("thread_id"), sub))
		})
	})
}

// FilterOwnRows limits a query to rows whose column col is the signed-in
// user (notifications, blocks, memberships of the viewer).
func FilterOwnRows(col string) privacy.QueryRule {
	return queryRule(func(ctx context.Context, q ent.Query) error {
		uid, ok := viewer.FromContext(ctx).UserID()
		if !ok {
			return filterQuery(q, nothing)
		}
		return filterQuery(q, func(s *sql.Selector) { s.Where(sql.EQ(s.C(col), uid)) })
	})
}

// FilterMemberships shows a staff list to the page's staff, and each user
// their own memberships.
func FilterMemberships() privacy.QueryRule {
	return queryRule(func(ctx context.Context, q ent.Query) error {
		v := viewer.FromContext(ctx)
		uid, ok := v.UserID()
		if !ok {
			if t, isToken := v.Token(); isToken && slices.Contains(t.Scopes, viewer.ScopeManagePage) {
				return filterQuery(q, func(s *sql.Selector) { s.Where(sql.EQ(s.C("page_id"), t.PageID)) })
			}
			return filterQuery(q, nothing)
		}
		roles, err := v.Roles(ctx)
		if err != nil {
			return err
		}
		pages := make([]any, 0, len(roles))
		for p := range roles {
			pages = append(pages, p)
		}
		return filterQuery(q, func(s *sql.Selector) {
			or := []*sql.Predicate{sql.EQ(s.C("user_id"), uid)}
			if len(pages) > 0 {
				or = append(or, sql.In(s.C("page_id"), pages...))
			}
			s.Where(sql.Or(or...))
		})
	})
}

// FilterPageScoped shows rows that belong to a page (column "page_id") to
// the page's staff with one of roles, or to a token holding scope.
func FilterPageScoped(scope viewer.Scope, roles ...viewer.Role) privacy.QueryRule {
	return queryRule(func(ctx context.Context, q ent.Query) error {
		pages, err := pagesWith(ctx, scope, roles...)
		if err != nil {
			return err
		}
		if len(pages) == 0 {
			return filterQuery(q, nothing)
		}
		return filterQuery(q, func(s *sql.Selector) { s.Where(sql.In(s.C("page_id"), pages...)) })
	})
}

// pagesWith lists the pages on which the viewer holds one of roles, or the
// token's page when it holds scope.
func pagesWith(ctx context.Context, scope viewer.Scope, roles ...viewer.Role) ([]any, error) {
	v := viewer.FromContext(ctx)
	if t, ok := v.Token(); ok {
		if slices.Contains(t.Scopes, scope) {
			return []any{t.PageID}, nil
		}
		return nil, nil
	}
	have, err := v.Roles(ctx)
	if err != nil {
		return nil, err
	}
	var pages []any
	for p, r := range have {
		if slices.Contains(roles, r) {
			pages = append(pages, p)
		}
	}
	return pages, nil
}

// DenyQuery refuses every read that is not made with System: sessions,
// token hashes and outbox rows are never read on a viewer's behalf.
func DenyQuery() privacy.QueryRule {
	return queryRule(func(context.Context, ent.Query) error {
		return privacy.Denyf("rule: only the server reads this")
	})
}

// AllowQuery makes a type public (users, pages, posts and comments).
func AllowQuery() privacy.QueryRule {
	return queryRule(func(context.Context, ent.Query) error { return privacy.Allow })
}
