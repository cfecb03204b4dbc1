package main

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// benchSend compares messages/s through the API (64 concurrent senders over
// HTTP, each in its own thread) with the same rows written by database/sql
// directly: lock the thread, insert the message, move the thread's
// counters, insert the staff notification, queue its push if the staff
// has a device, append the page event log entry and its body (rawSend) -
// the database's own limit for this work.
func benchSend(ctx context.Context, o options, t *table) error {
	return sendComparison(ctx, o, t, "send", false)
}

// sendComparison runs the send comparison in section; with push, the
// page's owner and every visitor first register a Web Push subscription
// with a local push service, so each message also goes through the push
// outbox, and a burst of replies measures the push dispatcher.
func sendComparison(ctx context.Context, o options, t *table, section string, push bool) error {
	db, err := newDatabase(o, section)
	if err != nil {
		return err
	}
	defer db.drop()
	srv, err := startServer(ctx, db.url, db.dataDir)
	if err != nil {
		return err
	}
	defer srv.stop()
	c := newClient(srv.url())
	ownerToken, ownerID, err := c.signUp(ctx, "owner")
	if err != nil {
		return err
	}
	pageID, err := c.createPage(ctx, ownerToken, "benchpage")
	if err != nil {
		return err
	}
	// 2 x senders visitors: one half sends through the API, the other
	// half's threads take the raw writes.
	type sender struct{ token, uid, thread string }
	senders := make([]sender, 2*o.senders)
	for i := range senders {
		tok, uid, err := c.signUp(ctx, fmt.Sprintf("visitor%d", i))
		if err != nil {
			return err
		}
		th, err := c.sendToPage(ctx, tok, pageID, "first")
		if err != nil {
			return err
		}
		senders[i] = sender{tok, uid, th}
	}

	var devices *pushService
	if push {
		if devices, err = newPushService(); err != nil {
			return err
		}
		defer devices.close()
		tokens := []string{ownerToken}
		for _, s := range senders {
			tokens = append(tokens, s.token)
		}
		if err := devices.register(ctx, c, tokens); err != nil {
			return err
		}
	}

	raw, err := db.open()
	if err != nil {
		return err
	}
	defer raw.Close()
	pool := 32 // the server's own pool size
	if !db.postgres() {
		pool = 8
	}
	raw.SetMaxOpenConns(pool)
	raw.SetMaxIdleConns(pool)
	// The server prepares each statement once per connection
	// (internal/store/stmtcache); the same raw writes through the same
	// cache show the database's limit when planning is saved too.
	var prepared *sql.DB
	if db.postgres() {
		if prepared, err = db.openPrepared(); err != nil {
			return err
		}
		defer prepared.Close()
		prepared.SetMaxOpenConns(pool)
		prepared.SetMaxIdleConns(pool)
	}
	page := rawID(pageID)
	owner := rawID(ownerID)
	apiSenders, rawSenders := senders[:o.senders], senders[o.senders:]
	apiSend := func(ctx context.Context, i int) error {
		s := apiSenders[i]
		var out struct{}
		return c.do(ctx, s.token, `mutation($i: SendMessageToPageInput!) { sendMessageToPage(input: $i) { message { seq } } }`,
			map[string]any{"i": map[string]any{"pageId": pageID, "body": "Hello, is this still available?"}}, &out)
	}
	plainSend := func(ctx context.Context, i int) error {
		s := rawSenders[i]
		th := rawID(s.thread)
		uid := rawID(s.uid)
		return rawSend(ctx, raw, db.postgres(), page, th, uid, owner)
	}
	preparedSend := func(ctx context.Context, i int) error {
		s := rawSenders[i]
		th := rawID(s.thread)
		uid := rawID(s.uid)
		return rawSend(ctx, prepared, true, page, th, uid, owner)
	}

	// The machine is shared and noisy: API and raw rounds alternate, so
	// both see the same conditions, and the ratio is of their totals.
	// Both sides first run a second unmeasured (connections, caches).
	// Then the new database gets its statistics, as autovacuum gives any
	// table that has grown (it did not reach a new database within the
	// section). Without them PostgreSQL planned each connection's
	// statements from the tables' sizes at the moment it first planned
	// them, which differed from run to run: the API's statements cost it
	// 1.2 ms per message in some runs and 1.5-2.1 ms in others, and the
	// ratio came out anywhere from 0.56 to 0.85. A checkpoint writes
	// back what the setup - or the section before - left dirty, so the
	// first measured round does not pay for it. The side that goes
	// first swaps every round.
	warm := o
	warm.sendFor = time.Second
	for _, f := range []func(context.Context, int) error{apiSend, plainSend} {
		var discard phase
		if _, err := discard.run(ctx, warm, srv.pid(), f); err != nil {
			return err
		}
	}
	if db.postgres() {
		if _, err := raw.ExecContext(ctx, "ANALYZE"); err != nil {
			return err
		}
		_, _ = raw.ExecContext(ctx, "CHECKPOINT") // best effort: needs a superuser
	}
	var api, base, prep phase
	var ratios []float64 // per round: API / raw
	for r := range o.rounds {
		logf("send: round %d/%d", r+1, o.rounds)
		var apiRound, rawRound float64
		var err error
		if r%2 == 0 {
			if apiRound, err = api.run(ctx, o, srv.pid(), apiSend); err == nil {
				rawRound, err = base.run(ctx, o, srv.pid(), plainSend)
			}
		} else {
			if rawRound, err = base.run(ctx, o, srv.pid(), plainSend); err == nil {
				apiRound, err = api.run(ctx, o, srv.pid(), apiSend)
			}
		}
		if err != nil {
			return err
		}
		ratios = append(ratios, apiRound/rawRound)
		if prepared != nil {
			if _, err := prep.run(ctx, o, srv.pid(), preparedSend); err != nil {
				return err
			}
		}
	}
	apiRate, rawRate := api.rate(), base.rate()
	ratio := apiRate / rawRate
	t.add(section, fmt.Sprintf("API messages/s (%d HTTP senders, %d x %s)", o.senders, o.rounds, o.sendFor), fmt.Sprintf("%.0f", apiRate), "", "")
	t.add(section, "API latency p50 / p99", ms(percentile(api.lat, 50))+" / "+ms(percentile(api.lat, 99)), "", "")
	t.add(section, "API CPU per message: database / server / load client", api.cpuPerMessage(), "", "")
	t.add(section, "raw database/sql messages/s (same rows)", fmt.Sprintf("%.0f", rawRate), "", "")
	t.add(section, "raw latency p50 / p99", ms(percentile(base.lat, 50))+" / "+ms(percentile(base.lat, 99)), "", "")
	t.add(section, "raw CPU per message: database / - / load client", base.cpuPerMessage(), "", "")
	// With a push subscription per visitor the send path also queues a
	// push; that costs some of the margin.
	floor := 0.7
	if push {
		floor = 0.5
	}
	t.add(section, "ratio API / raw (all rounds)", fmt.Sprintf("%.2f", ratio), fmt.Sprintf(">= %.1f", floor), verdict(ratio >= floor))
	t.add(section, fmt.Sprintf("ratio API / raw per round: min / median / max (%d rounds)", len(ratios)), spreadOf(ratios), "", "")
	if prepared != nil {
		t.add(section, "raw with prepared statements messages/s", fmt.Sprintf("%.0f", prep.rate()), "", "")
		t.add(section, "ratio API / raw with prepared statements", fmt.Sprintf("%.2f", apiRate/prep.rate()), "", "")
	}
	if push {
		t.add(section, "pushes to the owner's device during the send rounds", strconv.FormatInt(devices.counts[0].Load(), 10), "", "")
		return devices.measure(ctx, raw, db.postgres(), t)
	}
	return nil
}

// phase accumulates the rounds of one side of the send comparison.
type phase struct {
	lat              []time.Duration
	n                int
	took             time.Duration
	pg, server, self time.Duration
}

// run drives one round and returns its rate (calls per second).
func (p *phase) run(ctx context.Context, o options, serverPid int, op func(context.Context, int) error) (float64, error) {
	m := startCPU(serverPid)
	lat, n, took, err := drive(ctx, o.senders, o.sendFor, op)
	pg, server, self := m.stop()
	p.lat = append(p.lat, lat...)
	p.n += n
	p.took += took
	p.pg, p.server, p.self = p.pg+pg, p.server+server, p.self+self
	return float64(n) / took.Seconds(), err
}

func (p *phase) rate() float64 { return float64(p.n) / p.took.Seconds() }

// cpuPerMessage is CPU time per message (the warm-up's share included,
// so it slightly overstates).
func (p *phase) cpuPerMessage() string {
	per := func(d time.Duration) string {
		if p.n == 0 {
			return "-"
		}
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)/float64(p.n))
	}
	return per(p.pg) + " / " + per(p.server) + " / " + per(p.self)
}

// drive runs n workers calling op until d has passed, after a short warm-up,
// and returns each call's latency and the number of calls.
func drive(ctx context.Context, n int, d time.Duration, op func(ctx context.Context, worker int) error) ([]time.Duration, int, time.Duration, error) {
	var (
		mu   sync.Mutex
		lats []time.Duration
		ferr error
		wg   sync.WaitGroup
	)
	warm := time.Now().Add(time.Second)
	stop := warm.Add(d)
	for i := range n {
		wg.Go(func() {
			var mine []time.Duration
			for ctx.Err() == nil {
				start := time.Now()
				if start.After(stop) {
					break
				}
				if err := op(ctx, i); err != nil {
					mu.Lock()
					ferr = err
					mu.Unlock()
					return
				}
				if start.After(warm) {
					mine = append(mine, time.Since(start))
				}
			}
			mu.Lock()
			lats = append(lats, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	// Calls that started before stop finish after it: the rate is over
	// the time the measured calls really took.
	return lats, len(lats), time.Since(warm), ferr
}

// rawSend writes what one visitor message writes, with database/sql: the
// message, the thread's counters, the staff notification, the push outbox
// check and the page event log entry with its body. (The API also counts
// the send in the sender's rate-limit window, rule 23, which is not a
// write of the message and stays out of the baseline.)
func rawSend(ctx context.Context, db *sql.DB, postgres bool, page, thread, visitor, staff int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	ph := func(q string) string { // ? placeholders for SQLite, $n for PostgreSQL
		if !postgres {
			return q
		}
		out, n := []byte{}, 0
		for i := 0; i < len(q); i++ {
			if q[i] == '?' {
				n++
				out = append(out, []byte("$"+strconv.Itoa(n))...)
				continue
			}
			out = append(out, q[i])
		}
		return string(out)
	}
	lock := "SELECT last_seq FROM threads WHERE id = ?"
	if postgres {
		lock += " FOR UPDATE"
	}
	var seq int
	if err := tx.QueryRowContext(ctx, ph(lock), thread).Scan(&seq); err != nil {
		return err
	}
	seq++
	now := time.Now().UTC()
	body := "Hello, is this still available?"
	var msg int64
	err = tx.QueryRowContext(ctx, ph(`INSERT INTO messages (thread_id, seq, sender_type, sender_id, body, attachments, created_at)
		VALUES (?, ?, 'VISITOR', ?, ?, '[]', ?) RETURNING id`), thread, seq, visitor, body, now).Scan(&msg)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, ph(`UPDATE threads SET last_seq = ?, last_message_at = ?, updated_at = ?, snippet = ?,
		last_message_id = ?, page_unread = page_unread + 1, visitor_unread = 0, visitor_read_seq = ?,
		visitor_last_read_at = ?, last_visitor_message_at = ?, awaiting_visitor = ? WHERE id = ?`),
		seq, now, now, body, msg, seq, now, now, false, thread)
	if err != nil {
		return err
	}
	var note int64
	err = tx.QueryRowContext(ctx, ph(`INSERT INTO notifications (recipient_id, kind, thread_id, message_id, page_id, created_at)
		VALUES (?, 'NEW_MESSAGE', ?, ?, ?, ?) RETURNING id`), staff, thread, msg, page, now).Scan(&note)
	if err != nil {
		return err
	}
	// The push outbox (rule 32): a job row only when the recipient has a
	// device, decided in the insert itself (store.InsertPushJob). The
	// send section registers no devices, so this writes nothing there,
	// as the API's does not.
	push := `INSERT INTO push_jobs (notification_ids, created_at) SELECT ?, ? WHERE EXISTS (SELECT 1 FROM notifications n
		JOIN push_subscriptions s ON s.user_id = n.recipient_id WHERE n.id = ?)`
	if postgres {
		push = `INSERT INTO push_jobs (notification_ids, created_at) SELECT CAST($1 AS jsonb), CAST($2 AS timestamptz)
			WHERE EXISTS (SELECT 1 FROM notifications n JOIN push_subscriptions s ON s.user_id = n.recipient_id WHERE n.id = $3)`
	}
	if _, err := tx.ExecContext(ctx, push, "["+strconv.FormatInt(note, 10)+"]", now, note); err != nil {
		return err
	}
	// The page event log entry (rule 34) every message makes, as the
	// outbox writes it (store.AppendPageEvent): drawn under a KEY SHARE
	// lock on the page row on PostgreSQL, so ids commit in order within
	// the page, then its body, which names its own id - two statements.
	event := `INSERT INTO page_events (page_id, type, thread_id, message_id, payload, created_at)
		VALUES (?, 'MESSAGE_CREATED', ?, ?, '', ?) RETURNING id`
	if postgres {
		event = `WITH p AS MATERIALIZED (SELECT id FROM pages WHERE id = $1 FOR KEY SHARE)
			INSERT INTO page_events (page_id, type, thread_id, message_id, payload, created_at)
			SELECT p.id, 'MESSAGE_CREATED', $2, $3, '', $4 FROM p RETURNING id`
	}
	var ev int64
	if err := tx.QueryRowContext(ctx, event, page, thread, msg, now).Scan(&ev); err != nil {
		return err
	}
	payload := fmt.Sprintf(`{"id":"%d","event":"MESSAGE_CREATED","createdAt":%q,"pageId":"%d","data":{"message":{"id":"%d","threadId":"%d","seq":%d,"senderType":"VISITOR","senderId":"%d","body":%q,"attachments":[],"createdAt":%q},"thread":{"id":"%d","kind":"DIRECT","visitorId":"%d","status":"OPEN","labels":[]}}}`,
		ev, now.Format(time.RFC3339Nano), page, msg, thread, seq, visitor, body, now.Format(time.RFC3339Nano), thread, visitor)
	if _, err := tx.ExecContext(ctx, ph(`UPDATE page_events SET payload = ? WHERE id = ?`), payload, ev); err != nil {
		return err
	}
	return tx.Commit()
}
