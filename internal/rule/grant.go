package rule

import (
	"context"
	"slices"
	"strings"

	"entgo.io/ent"
	"entgo.io/ent/entql"
	"entgo.io/ent/privacy"
)

// Grant lets the writes of one authorized operation through the mutation
// policies. It is created only inside this package, by the Authorize*
// functions, after they checked the viewer; a code path that skipped the check
// has no grant and its writes are denied.
//
// A grant names the rows it covers: an update or delete is limited to the
// rows its filter keeps (a write to another row matches nothing: NOT_FOUND
// for one row, no change for many), and a create must carry the owner the
// grant names (the page, the user) where it has one.
type Grant struct {
	reason string
	writes []write
}

// write is what a grant allows on one ent type.
type write struct {
	typ string
	// create allows creating rows; nil: no creates. It sees the mutation
	// (a generated *ent.XMutation) and says whether the new row is covered.
	create func(ent.Mutation) bool
	// rows limits updates and deletes (an as(...) filter); nil: none.
	rows func(any)
}

type grantKey struct{}

// grant returns ctx carrying permission for writes, added to the grant
// already in ctx (an operation made of several authorized steps).
func grant(ctx context.Context, reason string, writes ...write) context.Context {
	g := Grant{reason: reason, writes: writes}
	if prev, ok := ctx.Value(grantKey{}).(Grant); ok {
		g.writes = append(slices.Clone(prev.writes), writes...)
		g.reason = prev.reason + "; " + reason
	}
	return context.WithValue(ctx, grantKey{}, g)
}

// creates allows creating rows of typ that need no owner check (a new
// user, the server's own records).
func creates(typ string) write {
	return write{typ: typ, create: func(ent.Mutation) bool { return true }}
}

// createsFor allows creating rows of typ whose owner field, read by owner
// from the mutation, is id.
func createsFor[M any](typ string, owner func(M) (int, bool), id int) write {
	return write{typ: typ, create: func(m ent.Mutation) bool {
		typed, ok := m.(M)
		if !ok {
			return false
		}
		got, set := owner(typed)
		return set && got == id
	}}
}

// changes allows updating and deleting the rows of typ that rows keeps.
func changes(typ string, rows func(any)) write { return write{typ: typ, rows: rows} }

// Owner getters of the generated mutations, and the filters of the rows a
// grant names. internal/store asserts that the generated types have them.
type (
	// PageOwned is a mutation of a type with a page_id field.
	PageOwned interface{ PageID() (int, bool) }
	// UserOwned is a mutation of a type with a user_id field.
	UserOwned interface{ UserID() (int, bool) }
	// ThreadOwned is a mutation of a type with a thread_id field.
	ThreadOwned interface{ ThreadID() (int, bool) }
	// PostOwned is a mutation of a type with a post_id field.
	PostOwned interface{ PostID() (int, bool) }
	// DirectThreadMutation is the thread mutation: a DIRECT thread is
	// owned by its page and its visitor.
	DirectThreadMutation interface {
		PageID() (int, bool)
		VisitorID() (int, bool)
	}
	// IDFilter is the filter of any type with an int id.
	IDFilter interface {
		anyFilter
		WhereID(entql.IntP)
	}
)

func pageOf(m PageOwned) (int, bool)     { return m.PageID() }
func userOf(m UserOwned) (int, bool)     { return m.UserID() }
func threadOf(m ThreadOwned) (int, bool) { return m.ThreadID() }
func postOf(m PostOwned) (int, bool)     { return m.PostID() }

// rowID keeps the row with the given id.
func rowID(id int) func(any) {
	return as(func(f IDFilter) { f.WhereID(entql.IntEQ(id)) })
}

// rowIDs keeps the rows with the given ids.
func rowIDs(ids []int) func(any) {
	return as(func(f IDFilter) {
		if len(ids) == 0 {
			matchNothing(f)
			return
		}
		f.WhereID(oneOf(ids))
	})
}

// pageRows keeps the rows of one page.
func pageRows(pageID int) func(any) {
	return as(func(f PageRowFilter) { f.WherePageID(entql.IntEQ(pageID)) })
}

// AllowGranted allows a mutation the context's grant covers: a create its
// check accepts, or an update or delete limited to the rows it names.
func AllowGranted() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		g, ok := ctx.Value(grantKey{}).(Grant)
		if !ok {
			return privacy.Skip
		}
		var rows []func(any)
		for _, w := range g.writes {
			if w.typ != m.Type() {
				continue
			}
			if m.Op().Is(ent.OpCreate) {
				if w.create != nil && w.create(m) {
					return privacy.Allow
				}
				continue
			}
			if w.rows != nil {
				rows = append(rows, w.rows)
			}
		}
		if len(rows) == 0 {
			return privacy.Skip
		}
		pf, ok := m.(interface{ PrivacyFilter() any })
		if !ok {
			return privacy.Denyf("rule: mutation %T has no privacy filter", m)
		}
		f, ok := pf.PrivacyFilter().(anyFilter)
		if !ok {
			return privacy.Denyf("rule: mutation %T has no privacy filter", m)
		}
		f.WhereAny(rows...)
		return privacy.Allow
	})
}

// DenyMutation ends every mutation policy: what was not allowed is denied.
func DenyMutation() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		var why []string
		if g, ok := ctx.Value(grantKey{}).(Grant); ok {
			why = append(why, "the grant ("+g.reason+") does not cover it")
		}
		return privacy.Denyf("rule: %s %s is not authorized %s", m.Op(), m.Type(), strings.Join(why, ""))
	})
}

// Policy is the policy of every ent type: the given query rules, and
// mutations allowed only under a grant.
func Policy(query ...privacy.QueryRule) ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy(query),
		Mutation: privacy.MutationPolicy{AllowGranted(), DenyMutation()},
	}
}
