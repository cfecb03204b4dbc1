package rule

import (
	"context"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/privacy"

	"pageinbox/internal/viewer"
)

// FilterStaffMemberships shows a page's memberships to those that
// page.members shows them to - its ADMIN and MODERATOR staff and tokens
// with MANAGE_PAGE - and each user their own memberships. An ANALYST
// reads responsiveness only (rule 2): fetching the team by node id must
// not show more than the page does.
func FilterStaffMemberships() privacy.QueryRule {
	return queryRule(func(ctx context.Context, q ent.Query) error {
		v := viewer.FromContext(ctx)
		if v == nil {
			return filterQuery(q, nothing)
		}
		pages, err := pagesWith(ctx, viewer.ScopeManagePage, viewer.RoleAdmin, viewer.RoleModerator)
		if err != nil {
			return err
		}
		uid, isUser := v.UserID()
		return filterQuery(q, func(s *sql.Selector) {
			var or []*sql.Predicate
			if isUser {
				or = append(or, sql.EQ(s.C("user_id"), uid))
			}
			if len(pages) > 0 {
				or = append(or, sql.In(s.C("page_id"), pages...))
			}
			if len(or) == 0 {
				s.Where(sql.False())
				return
			}
			s.Where(sql.Or(or...))
		})
	})
}

// MayLookUpUsersByID is rule 28's guard on the user directory: anonymous
// callers cannot walk users by their sequential ids through node and
// nodes. Users stay visible where the product shows them (comment
// authors, a page's staff, by handle).
func MayLookUpUsersByID(ctx context.Context) bool {
	return viewer.FromContext(ctx) != nil
}
