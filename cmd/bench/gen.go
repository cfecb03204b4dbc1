package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Data generation writes rows straight into the database: the benchmark
// measures reading and delivering, and signing up 10,000 users through
// the API would spend minutes hashing passwords. Rows look exactly like
// the server's own (the same columns and values it writes).

// benchUser is a generated user with a session token.
type benchUser struct {
	id    int
	token string
}

// placeholders rewrites ? to $n for PostgreSQL.
func placeholders(postgres bool, q string) string {
	if !postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// insertRows runs one multi-row INSERT per batch of rows and returns the
// ids it generated (RETURNING id), in order.
func insertRows(ctx context.Context, db *sql.DB, postgres bool, table string, cols []string, rows [][]any) ([]int, error) {
	const batch = 1000
	ids := make([]int, 0, len(rows))
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for start := 0; start < len(rows); start += batch {
		end := min(start+batch, len(rows))
		values := make([]string, 0, end-start)
		args := make([]any, 0, (end-start)*len(cols))
		for _, r := range rows[start:end] {
			values = append(values, one)
			args = append(args, r...)
		}
		q := placeholders(postgres, "INSERT INTO "+table+" ("+strings.Join(cols, ", ")+") VALUES "+strings.Join(values, ", ")+" RETURNING id")
		var err error
		if ids, err = appendReturnedIDs(ctx, db, ids, q, args); err != nil {
			return nil, fmt.Errorf("insert %s: %w", table, err)
		}
	}
	return ids, nil
}

// appendReturnedIDs runs q and appends the ids it returns.
func appendReturnedIDs(ctx context.Context, db *sql.DB, ids []int, q string, args []any) ([]int, error) {
	res, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer res.Close()
	for res.Next() {
		var id int
		if err := res.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, res.Err()
}

// makeUsers creates n users named prefix0..prefixN-1; with sessions, each
// gets a session whose token is returned.
func makeUsers(ctx context.Context, db *sql.DB, postgres bool, prefix string, n int, sessions bool) ([]benchUser, error) {
	now := time.Now().UTC()
	rows := make([][]any, n)
	for i := range rows {
		h := fmt.Sprintf("%s%d", prefix, i)
		// A hash no password matches: generated users never sign in.
		rows[i] = []any{"Bench " + h, h, h, h + "@bench.example.com", h + "@bench.example.com", "!generated", now}
	}
	ids, err := insertRows(ctx, db, postgres, "users",
		[]string{"name", "handle", "handle_key", "email", "email_key", "password_hash", "created_at"}, rows)
	if err != nil {
		return nil, err
	}
	users := make([]benchUser, n)
	for i, id := range ids {
		users[i].id = id
	}
	if !sessions {
		return users, nil
	}
	srows := make([][]any, n)
	for i := range users {
		// The server's session token format: pis_ + random; it keeps the
		// SHA-256 only.
		users[i].token = fmt.Sprintf("pis_bench_%s_%d_%d", prefix, i, rand.Int64())
		h := sha256.Sum256([]byte(users[i].token))
		srows[i] = []any{h[:], now, now.Add(30 * 24 * time.Hour), users[i].id}
	}
	if _, err := insertRows(ctx, db, postgres, "sessions", []string{"token_hash", "created_at", "expires_at", "user_id"}, srows); err != nil {
		return nil, err
	}
	return users, nil
}

// addStaff gives users a role on a page.
func addStaff(ctx context.Context, db *sql.DB, postgres bool, page int, role string, users []benchUser) error {
	now := time.Now().UTC()
	rows := make([][]any, len(users))
	for i, u := range users {
		rows[i] = []any{role, now, page, u.id}
	}
	_, err := insertRows(ctx, db, postgres, "page_memberships", []string{"role", "created_at", "page_id", "user_id"}, rows)
	return err
}

// vocabulary for message bodies; "invoice" is the rare word searched for.
// It has a few hundred words, as a shop's inbox does. The size matters to
// PostgreSQL: it estimates a prefix search ("invoice:*") from the column's
// most common lexemes only when it has at least 100 of them; with a toy
// vocabulary it guesses 2% of all messages and plans a rare-word search as
// a walk through the whole inbox (about 50% slower at 1M messages).
const vocabulary = `hello hi thanks please order delivery shipping parcel size colour price
	discount available stock tomorrow today week weekend open close hours store address city refund
	return exchange broken missing late early card cash payment receipt question answer help support
	product item jacket shoes shirt table chair lamp phone charger cable battery warranty repair
	booking table dinner lunch menu vegan allergy gluten reservation friday saturday sunday morning
	evening night monday tuesday wednesday thursday january february march april may june july august
	september october november december yesterday soon later already still again maybe sure great
	good bad wrong right small medium large extra black white red blue green yellow grey brown pink
	cotton wool leather linen denim silk pair set pack box bag gift wrap voucher code coupon sale
	offer deal free fast slow express standard courier post tracking number status update change
	cancel confirm account login password email phone message call chat photo picture link website
	app online shop branch counter staff manager owner team customer client guest member loyalty
	points reward newsletter subscribe unsubscribe review rating feedback complaint problem issue
	damaged wet torn faulty defect replace replacement credit debit transfer bank paypal wallet
	balance amount total charge fee tax cost postcode street road avenue building floor
	door parking entrance wheelchair access pet dog cat child kids baby adult teen student senior
	coffee tea juice water wine beer cake bread salad soup pasta pizza burger rice chicken fish beef
	cheese milk sugar salt spicy mild sweet hot cold warm fresh frozen organic local imported brand
	model version colourway pattern print logo fit loose tight short long wide narrow heavy light`

// bodies makes message bodies of 4 to 15 words.
type bodies struct {
	r     *rand.Rand
	words []string
}

func newBodies(seed uint64) *bodies {
	return &bodies{r: rand.New(rand.NewPCG(seed, 1)), words: strings.Fields(vocabulary)}
}

func (g *bodies) next() string {
	r := g.r
	n := 4 + r.IntN(12)
	words := make([]string, n)
	for i := range words {
		words[i] = g.words[r.IntN(len(g.words))]
	}
	if r.IntN(1000) == 0 {
		words[r.IntN(n)] = "invoice"
	}
	words[0] = strings.ToUpper(words[0][:1]) + words[0][1:]
	return strings.Join(words, " ") + "?"
}

// inboxData adds threads (one per new visitor) with perThread messages
// each to a page, alternating visitor and page messages, spread over the
// last 30 days. PostgreSQL loads with COPY, SQLite with one prepared
// insert in one transaction.
func inboxData(ctx context.Context, db *sql.DB, postgres bool, page, staff int, prefix string, threads, perThread int) error {
	visitors, err := makeUsers(ctx, db, postgres, prefix, threads, false)
	if err != nil {
		return err
	}
	g := newBodies(uint64(threads))
	r := g.r
	now := time.Now().UTC()
	type th struct {
		visitor, unread int
		first, last     time.Time
		snippet         string
	}
	ths := make([]th, threads)
	trows := make([][]any, threads)
	for i := range ths {
		last := now.Add(-time.Duration(r.Int64N(int64(30 * 24 * time.Hour))))
		ths[i] = th{visitor: visitors[i].id, unread: r.IntN(3), first: last.Add(-time.Duration(perThread) * time.Minute), last: last, snippet: g.next()}
		t := ths[i]
		// The team inbox: a fifth of the threads per priority, and a
		// third of them with a visitor waiting (since a random earlier
		// time), so its sorts have real work to do.
		var waiting any
		if r.IntN(3) == 0 {
			waiting = t.first.Add(-time.Duration(r.Int64N(int64(24 * time.Hour))))
		}
		trows[i] = []any{"DIRECT", "[]", t.first, t.last, t.snippet, perThread, t.unread, t.last, page, t.visitor, perThread - t.unread,
			r.IntN(5), waiting}
	}
	ids, err := insertRows(ctx, db, postgres, "threads",
		[]string{"kind", "labels", "created_at", "last_message_at", "snippet", "last_seq", "page_unread", "updated_at", "page_id", "visitor_id", "page_read_seq",
			"priority", "waiting_since"}, trows)
	if err != nil {
		return err
	}

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	cols := []string{"thread_id", "seq", "sender_type", "sender_id", "page_id", "body", "attachments", "created_at"}
	var stmt *sql.Stmt
	if postgres {
		stmt, err = tx.PrepareContext(ctx, "COPY messages ("+strings.Join(cols, ", ")+") FROM STDIN")
	} else {
		stmt, err = tx.PrepareContext(ctx, "INSERT INTO messages ("+strings.Join(cols, ", ")+") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
	}
	if err != nil {
		return err
	}
	for i, t := range ths {
		for seq := 1; seq <= perThread; seq++ {
			b := g.next()
			if seq == perThread {
				b = t.snippet
			}
			at := t.first.Add(time.Duration(seq) * time.Minute)
			var err error
			if seq%2 == 1 {
				_, err = stmt.ExecContext(ctx, ids[i], seq, "VISITOR", t.visitor, nil, b, "[]", at)
			} else {
				_, err = stmt.ExecContext(ctx, ids[i], seq, "PAGE", staff, page, b, "[]", at)
			}
			if err != nil {
				return err
			}
		}
	}
	if postgres {
		if _, err := stmt.ExecContext(ctx); err != nil { // flushes the COPY
			return err
		}
	}
	if err := stmt.Close(); err != nil {
		return err
	}
	// Point each thread at its last message, as the server does.
	if _, err := tx.ExecContext(ctx, placeholders(postgres, `UPDATE threads SET last_message_id =
		(SELECT m.id FROM messages m WHERE m.thread_id = threads.id AND m.seq = threads.last_seq)
		WHERE page_id = ? AND last_message_id IS NULL`), page); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	// The state autovacuum would soon leave the tables in: fresh
	// statistics and, on PostgreSQL, vacuumed - which also merges the
	// GIN indexes' pending lists (a bulk load parks new entries there, and
	// every search would scan them until then).
	stmt2 := "ANALYZE"
	if postgres {
		stmt2 = "VACUUM ANALYZE"
	}
	_, err = db.ExecContext(ctx, stmt2)
	return err
}
