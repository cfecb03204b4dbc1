package messaging

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	entsql "entgo.io/ent/dialect/sql"

	"pageinbox/ent"
	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/apierr"
	"pageinbox/internal/rule"
)

// pageFacts is what the send path needs to know about a thread's page,
// read in the same statement that locks the thread: its settings, both
// block directions between it and the thread's person (the visitor, or the
// group member writing), whether it has webhooks, and its ADMIN and
// MODERATOR staff (who are notified of visitor messages).
type pageFacts struct {
	settings    rule.PageSettings
	blocks      rule.Blocks
	hasWebhooks bool
	inboxStaff  []int
}

// factExprs are the facts as SQL over a page alias and the blocked user.
func factExprs(postgres bool, page, user string) [][2]string {
	staff := "group_concat(m.user_id, ',')"
	if postgres {
		staff = "string_agg(m.user_id::text, ',')"
	}
	return [][2]string{
		{page + ".messaging_enabled", "pf_enabled"},
		{page + ".away_message", "pf_away"},
		{page + ".time_zone", "pf_tz"},
		{page + ".availability", "pf_avail"},
		{"EXISTS (SELECT 1 FROM blocks b WHERE b.page_id = " + page + ".id AND b.user_id = " + user + ` AND b."by" = 'PAGE')`, "pf_page_blocked"},
		{"EXISTS (SELECT 1 FROM blocks b WHERE b.page_id = " + page + ".id AND b.user_id = " + user + ` AND b."by" = 'USER')`, "pf_user_blocked"},
		{"EXISTS (SELECT 1 FROM webhooks w WHERE w.page_id = " + page + ".id AND w.active)", "pf_webhooks"},
		{"(SELECT " + staff + " FROM page_memberships m WHERE m.page_id = " + page + ".id AND m.role IN ('ADMIN', 'MODERATOR'))", "pf_staff"},
	}
}

// lockWithFacts locks the thread q selects (on PostgreSQL; SQLite holds
// the write lock already) and reads its page's facts in the same
// statement. uid is the writer: blocks are read for the thread's visitor,
// or for uid in a group chat.
func (s *Service) lockWithFacts(ctx context.Context, tx *ent.Tx, q *ent.ThreadQuery, uid int) (*ent.Thread, *pageFacts, error) {
	if !s.postgres {
		// SQLite is in-process, so a second statement costs no round
		// trip, and modernc's driver reports no scan type for computed
		// columns, which ent's extra-column scan needs.
		th, err := q.Only(ctx)
		if err != nil {
			return nil, nil, err
		}
		user := uid
		if th.VisitorID != nil {
			user = *th.VisitorID
		}
		f, err := s.loadPageFacts(ctx, tx, th.PageID, user)
		return th, f, err
	}
	// Only the thread row: locking the page would queue every sender of
	// the page behind each other.
	q = q.ForUpdate(entsql.WithLockTables("threads"))
	q.Modify(func(sel *entsql.Selector) {
		p := entsql.Table("pages").As("pf")
		sel.Join(p).On(sel.C("page_id"), p.C("id"))
		user := "COALESCE(" + sel.C("visitor_id") + ", " + strconv.Itoa(uid) + ")"
		for _, e := range factExprs(s.postgres, "pf", user) {
			sel.AppendSelectExprAs(entsql.Raw(e[0]), e[1])
		}
	})
	th, err := q.Only(ctx)
	if err != nil {
		return nil, nil, err
	}
	f, err := factsOf(th)
	return th, f, err
}

// factsOf reads the facts selected along a thread.
func factsOf(th *ent.Thread) (*pageFacts, error) {
	get := func(name string) any { v, _ := th.Value(name); return v }
	var (
		f   pageFacts
		err error
	)
	f.settings.MessagingEnabled = truthy(get("pf_enabled"))
	if away := text(get("pf_away")); away != "" {
		f.settings.AwayMessage = &away
	}
	f.settings.TimeZone = text(get("pf_tz"))
	if avail := text(get("pf_avail")); avail != "" {
		if err = json.Unmarshal([]byte(avail), &f.settings.Availability); err != nil {
			return nil, fmt.Errorf("messaging: page availability: %w", err)
		}
	}
	f.blocks.PageBlockedUser = truthy(get("pf_page_blocked"))
	f.blocks.UserBlockedPage = truthy(get("pf_user_blocked"))
	f.hasWebhooks = truthy(get("pf_webhooks"))
	f.inboxStaff = ids(text(get("pf_staff")))
	return &f, nil
}

// loadPageFacts reads a page's facts on its own (a visitor's first
// message, before the thread exists). userID is the visitor.
func (s *Service) loadPageFacts(ctx context.Context, tx *ent.Tx, pageID, userID int) (*pageFacts, error) {
	cols := make([]string, 0, 8)
	for _, e := range factExprs(s.postgres, "p", strconv.Itoa(userID)) {
		cols = append(cols, e[0])
	}
	q := "SELECT " + strings.Join(cols, ", ") + " FROM pages p WHERE p.id = ?"
	if s.postgres {
		q = strings.Replace(q, "?", "$1", 1)
	}
	rows, err := tx.QueryContext(ctx, q, pageID)
	if err != nil {
		return nil, fmt.Errorf("messaging: page facts: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, apierr.New(apierr.NotFound, "page not found")
	}
	var (
		f     pageFacts
		away  sql.NullString
		avail []byte
		staff sql.NullString
	)
	if err := rows.Scan(&f.settings.MessagingEnabled, &away, &f.settings.TimeZone, &avail,
		&f.blocks.PageBlockedUser, &f.blocks.UserBlockedPage, &f.hasWebhooks, &staff); err != nil {
		return nil, fmt.Errorf("messaging: page facts: %w", err)
	}
	if away.Valid {
		f.settings.AwayMessage = &away.String
	}
	if len(avail) > 0 {
		var ws []schematype.AvailabilityWindow
		if err := json.Unmarshal(avail, &ws); err != nil {
			return nil, fmt.Errorf("messaging: page availability: %w", err)
		}
		f.settings.Availability = ws
	}
	f.inboxStaff = ids(staff.String)
	return &f, rows.Err()
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
