package messaging

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	entsql "entgo.io/ent/dialect/sql"

	"pageinbox/ent"
	"pageinbox/ent/page"
	"pageinbox/ent/thread"
	"pageinbox/internal/apierr"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// pageFacts is what the send path needs to know about a thread's page,
// read in the same statement that locks the thread: its settings, both
// block directions between it and the thread's person (the visitor, or the
// group member writing), whether it has webhooks, and its ADMIN and
// MODERATOR staff (who are notified of visitor messages).
type pageFacts struct {
	settings   rule.PageSettings
	blocks     rule.Blocks
	inboxStaff []int
	// manyStaff: more than deferAbove staff; inboxStaff is then nil.
	manyStaff bool
}

// selectFacts adds the facts to a statement reading one row: pages names the
// pages table (or its alias) in it, user writes the id of the user whose
// blocks are read. Nullable values are coalesced: SQLite's driver cannot
// say how to scan a NULL computed column, and "" means "none" below.
func selectFacts(sel *entsql.Selector, pages string, user func(*entsql.Builder)) {
	for _, c := range [][2]string{
		{pages + ".messaging_enabled", "pf_enabled"},
		{"COALESCE(" + pages + ".away_message, '')", "pf_away"},
		{pages + ".time_zone", "pf_tz"},
		{"COALESCE(CAST(" + pages + ".availability AS TEXT), '')", "pf_avail"},
		// At most deferAbove+1 of them: a larger team's notifications are
		// the Expander's to write, and it reads the team itself; reading
		// 10,000 ids under the thread lock would slow every send.
		{"COALESCE((SELECT " + store.IntList(sel, "s.user_id") + " FROM (SELECT m.user_id FROM page_memberships m WHERE m.page_id = " +
			pages + ".id AND m.role IN ('ADMIN', 'MODERATOR') LIMIT " + strconv.Itoa(deferAbove+1) + ") s), '')", "pf_staff"},
	} {
		sel.AppendSelectExprAs(entsql.Raw(c[0]), c[1])
	}
	for _, c := range [][2]string{{"PAGE", "pf_page_blocked"}, {"USER", "pf_user_blocked"}} {
		sel.AppendSelectExprAs(entsql.ExprFunc(func(b *entsql.Builder) {
			b.WriteString("EXISTS (SELECT 1 FROM blocks b WHERE b.page_id = " + pages + ".id AND b.user_id = ")
			user(b)
			b.WriteString(` AND b."by" = '` + c[0] + `')`)
		}), c[1])
	}
}

// lockWithFacts locks the thread q (a query of tx) selects and reads its
// page's facts in the same statement. uid is the writer: blocks are read
// for the thread's visitor, or for uid in a group chat.
func (s *Service) lockWithFacts(ctx context.Context, tx *ent.Tx, q *ent.ThreadQuery, uid int) (*ent.Thread, *pageFacts, error) {
	// Only the thread row: locking the page would queue every sender of
	// the page behind each other.
	q = store.ForUpdate(q, entsql.WithLockTables(thread.Table))
	q.Modify(func(sel *entsql.Selector) {
		p := entsql.Table(page.Table).As("pf")
		sel.Join(p).On(sel.C(thread.FieldPageID), p.C(page.FieldID))
		selectFacts(sel, "pf", func(b *entsql.Builder) {
			b.WriteString("COALESCE(" + sel.C(thread.FieldVisitorID) + ", ").Arg(uid).WriteString(")")
		})
	})
	th, err := q.Only(ctx)
	if err != nil {
		return nil, nil, err
	}
	f, err := factsOf(th.Value)
	return th, f, err
}

// loadPageFacts reads a page's facts on its own (a visitor's first
// message, before the thread exists). userID is the visitor.
func (s *Service) loadPageFacts(ctx context.Context, tx *ent.Tx, pageID, userID int) (*pageFacts, error) {
	p, err := tx.Page.Query().Where(page.ID(pageID)).Modify(func(sel *entsql.Selector) {
		sel.Select(sel.C(page.FieldID))
		selectFacts(sel, sel.TableName(), func(b *entsql.Builder) { b.Arg(userID) })
	}).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, apierr.New(apierr.NotFound, "page not found")
	}
	if err != nil {
		return nil, fmt.Errorf("messaging: page facts: %w", err)
	}
	return factsOf(p.Value)
}

// factsOf reads the facts selected along a row, as either database
// returns them.
func factsOf(value func(string) (ent.Value, error)) (*pageFacts, error) {
	get := func(name string) any { v, _ := value(name); return v }
	var f pageFacts
	f.settings.MessagingEnabled = truthy(get("pf_enabled"))
	if away := text(get("pf_away")); away != "" {
		f.settings.AwayMessage = &away
	}
	f.settings.TimeZone = text(get("pf_tz"))
	if avail := text(get("pf_avail")); avail != "" {
		if err := json.Unmarshal([]byte(avail), &f.settings.Availability); err != nil {
			return nil, fmt.Errorf("messaging: page availability: %w", err)
		}
	}
	f.blocks.PageBlockedUser = truthy(get("pf_page_blocked"))
	f.blocks.UserBlockedPage = truthy(get("pf_user_blocked"))
	f.inboxStaff = ids(text(get("pf_staff")))
	if len(f.inboxStaff) > deferAbove {
		f.inboxStaff, f.manyStaff = nil, true
	}
	return &f, nil
}

// truthy reads a boolean as either database returns it.
func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x != 0
	case []byte:
		return string(x) == "1" || string(x) == "t" || string(x) == "true"
	case string:
		return x == "1" || x == "t" || x == "true"
	}
	return false
}

// text reads a nullable text value.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}

// ids parses "1,2,3"; never nil, so "known to be empty" stays known.
func ids(s string) []int {
	out := []int{}
	for _, id := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(id)); err == nil {
			out = append(out, n)
		}
	}
	return out
}
