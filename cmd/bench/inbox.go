package main

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"
)

const inboxQuery = `query($p: ID!) { node(id: $p) { ... on Page {
	threads(first: 50) { edges { node { id snippet lastMessageAt unreadCount status visitor { id name } } } }
} } }`

const searchQuery = `query($p: ID!, $q: String!) { node(id: $p) { ... on Page {
	threads(first: 50, filter: {search: $q}) { edges { node { id snippet } } }
} } }`

// sortedInboxQuery is the team inbox's sorted queue (WAITING_LONGEST or
// PRIORITY), with the staff fields it sorts by.
const sortedInboxQuery = `query($p: ID!, $s: ThreadSort!) { node(id: $p) { ... on Page {
	threads(first: 50, filter: {sort: $s}) { edges { node { id snippet lastMessageAt unreadCount priority waitingSince visitor { id name } } } }
} } }`

// perThread is the messages of each generated thread.
const perThread = 20

// benchInbox measures the staff inbox (50 threads with snippets, unread
// counts and visitors) and full-text search on a page with 10,000
// messages, then again after bulk-loading it to o.messages.
func benchInbox(ctx context.Context, o options, t *table) error {
	db, err := newDatabase(o, "inbox")
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
	owner, ownerID, err := c.signUp(ctx, "owner")
	if err != nil {
		return err
	}
	pageID, err := c.createPage(ctx, owner, "benchpage")
	if err != nil {
		return err
	}
	raw, err := db.open()
	if err != nil {
		return err
	}
	defer raw.Close()
	page := rawID(pageID)
	staff := rawID(ownerID)

	const small = 10_000
	if err := inboxData(ctx, raw, db.postgres(), page, staff, "early", small/perThread, perThread); err != nil {
		return err
	}
	// The query really lists 50 threads with their visitors.
	var check struct {
		Node struct {
			Threads struct {
				Edges []struct {
					Node struct{ Visitor struct{ Name string } }
				}
			}
		}
	}
	if err := c.do(ctx, owner, inboxQuery, map[string]any{"p": pageID}, &check); err != nil {
		return err
	}
	if e := check.Node.Threads.Edges; len(e) != 50 || e[0].Node.Visitor.Name == "" {
		return fmt.Errorf("the inbox lists %d threads", len(e))
	}
	inbox10k, err := timeQuery(ctx, c, owner, inboxQuery, map[string]any{"p": pageID}, 300)
	if err != nil {
		return err
	}
	search10k, err := timeQuery(ctx, c, owner, searchQuery, map[string]any{"p": pageID, "q": "invoice"}, 100)
	if err != nil {
		return err
	}
	waiting10k, err := timeQuery(ctx, c, owner, sortedInboxQuery, map[string]any{"p": pageID, "s": "WAITING_LONGEST"}, 300)
	if err != nil {
		return err
	}
	priority10k, err := timeQuery(ctx, c, owner, sortedInboxQuery, map[string]any{"p": pageID, "s": "PRIORITY"}, 300)
	if err != nil {
		return err
	}

	more := (o.messages - small) / perThread
	logf("inbox: bulk-loading %d more messages in %d threads", more*perThread, more)
	start := time.Now()
	if err := inboxData(ctx, raw, db.postgres(), page, staff, "late", more, perThread); err != nil {
		return err
	}
	load := time.Since(start)
	total := small + more*perThread
	inboxBig, err := timeQuery(ctx, c, owner, inboxQuery, map[string]any{"p": pageID}, 300)
	if err != nil {
		return err
	}
	searchBig, err := timeQuery(ctx, c, owner, searchQuery, map[string]any{"p": pageID, "q": "invoice"}, 100)
	if err != nil {
		return err
	}
	waitingBig, err := timeQuery(ctx, c, owner, sortedInboxQuery, map[string]any{"p": pageID, "s": "WAITING_LONGEST"}, 300)
	if err != nil {
		return err
	}
	priorityBig, err := timeQuery(ctx, c, owner, sortedInboxQuery, map[string]any{"p": pageID, "s": "PRIORITY"}, 300)
	if err != nil {
		return err
	}

	ours := reader{pid: srv.pid(), read: func(ctx context.Context, _ int) error {
		return c.do(ctx, owner, inboxQuery, map[string]any{"p": pageID}, nil)
	}}
	readers := []reader{ours}
	var peerSkipped error
	if o.peer {
		peer, err := inboxPeer(ctx, db, c, owner, pageID)
		if err != nil {
			peerSkipped = err
			logf("inbox: PostGraphile skipped: %v", err)
		} else {
			defer peer.proc.stop()
			pc := newClient(peer.url)
			readers = append(readers, reader{name: "PostGraphile", pid: peer.proc.pid(), read: func(ctx context.Context, _ int) error {
				return pc.do(ctx, "", postgraphileInbox, map[string]any{"p": strconv.Itoa(page)}, nil)
			}})
		}
	}
	rounds, err := concurrentReads(ctx, o, raw, db.postgres(), readers...)
	if err != nil {
		return err
	}
	reads := rounds[0]

	big := fmt.Sprintf("%dk", total/1000)
	if total >= 1_000_000 {
		big = fmt.Sprintf("%gM", float64(total)/1e6)
	}
	p50s, p50b := percentile(inbox10k, 50), percentile(inboxBig, 50)
	ratio := float64(p50b) / float64(p50s)
	how := "COPY"
	if !db.postgres() {
		how = "one transaction"
	}
	t.add("inbox", fmt.Sprintf("bulk load of %d messages (%s)", more*perThread, how), load.Round(100*time.Millisecond).String(), "< 2 min", verdict(load < 2*time.Minute))
	t.add("inbox", "staff inbox p50 / p99, 10k messages", ms(p50s)+" / "+ms(percentile(inbox10k, 99)), "", "")
	t.add("inbox", fmt.Sprintf("staff inbox p50 / p99, %s messages", big), ms(p50b)+" / "+ms(percentile(inboxBig, 99)), "p50 < 10 ms", verdict(p50b < 10*time.Millisecond && p50s < 10*time.Millisecond))
	t.add("inbox", fmt.Sprintf("ratio p50 %s / 10k (flatness)", big), fmt.Sprintf("%.2f", ratio), "<= 1.5", verdict(ratio <= 1.5))
	t.add("inbox", "search p50 / p99, 10k messages", ms(percentile(search10k, 50))+" / "+ms(percentile(search10k, 99)), "", "")
	t.add("inbox", fmt.Sprintf("search p50 / p99, %s messages", big), ms(percentile(searchBig, 50))+" / "+ms(percentile(searchBig, 99)), "", "")
	what := fmt.Sprintf("staff inbox, %s messages, %d clients at once", big, o.readers)
	reads.report(t, what)
	// PostGraphile runs as its docs' quick start has it: no JWT, no
	// row-level security - ours checks the session and the staff role on
	// every request.
	peerName := fmt.Sprintf("PostGraphile %s (same inbox, %d clients, no auth)", postgraphileVersion, o.readers)
	switch {
	case peerSkipped != nil:
		t.add("inbox", peerName, "skipped: "+peerSkipped.Error(), "", "")
	case len(rounds) > 1:
		rounds[1].reportPeer(t, peerName, reads)
	}
	for _, sorted := range []struct {
		name       string
		small, big []time.Duration
	}{{"WAITING_LONGEST", waiting10k, waitingBig}, {"PRIORITY", priority10k, priorityBig}} {
		t.add("inbox", "sort "+sorted.name+" p50 / p99, 10k messages", ms(percentile(sorted.small, 50))+" / "+ms(percentile(sorted.small, 99)), "", "")
		p50 := percentile(sorted.big, 50)
		t.add("inbox", fmt.Sprintf("sort %s p50 / p99, %s messages", sorted.name, big), ms(p50)+" / "+ms(percentile(sorted.big, 99)),
			"p50 < 10 ms", verdict(p50 < 10*time.Millisecond))
	}
	return nil
}

// timeQuery runs a query n times, one at a time, after a warm-up, and
// returns each latency.
func timeQuery(ctx context.Context, c *client, token, query string, vars map[string]any, n int) ([]time.Duration, error) {
	for range 20 {
		if err := c.do(ctx, token, query, vars, nil); err != nil {
			return nil, err
		}
	}
	lat := make([]time.Duration, n)
	for i := range lat {
		start := time.Now()
		if err := c.do(ctx, token, query, vars, nil); err != nil {
			return nil, err
		}
		lat[i] = time.Since(start)
	}
	return lat, nil
}

// readRounds is the concurrent inbox read of one server: o.rounds rounds
// of o.readers clients reading for o.readFor each.
type readRounds struct {
	rates    []float64 // requests/s per round
	lat      []time.Duration
	requests int
	took     time.Duration
	calls    int64 // requests sent, warm-ups included
	xacts    int64 // database transactions over all rounds (PostgreSQL)
	server   time.Duration
}

// reader is a server the concurrent inbox read drives: ours, or a peer
// (-peer) answering the same question; pid is the process whose CPU
// time counts.
type reader struct {
	name string // "" for ours
	pid  int
	read func(context.Context, int) error
}

// concurrentReads runs each reader with o.readers clients at once, round
// after round - several readers take turns round by round, so that a
// change in the machine's load hits each alike - and counts each one's
// database transactions (pg_stat_database) and server CPU time.
// PostgreSQL updates pg_stat_database late - hence the pause before a
// count; a backend that goes idle within a second of its last report
// holds its counts for up to 10 s (PostgreSQL 15+), so between turns,
// where the count must be exact, the pause is longer.
func concurrentReads(ctx context.Context, o options, raw *sql.DB, postgres bool, readers ...reader) ([]*readRounds, error) {
	xacts := func() (int64, error) {
		if !postgres {
			return 0, nil
		}
		var n int64
		err := raw.QueryRowContext(ctx, `SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()`).Scan(&n)
		return n, err
	}
	settle := 1500 * time.Millisecond
	if len(readers) > 1 {
		settle = 11 * time.Second
	}
	rs := make([]*readRounds, len(readers))
	for i := range rs {
		rs[i] = &readRounds{}
	}
	time.Sleep(settle)
	x0, err := xacts()
	if err != nil {
		return nil, err
	}
	for i := range o.rounds {
		for j, rd := range readers {
			r := rs[j]
			// Every call counts for transactions and CPU per request,
			// the warm-up's too (the rates and latencies leave the
			// warm-up out).
			var calls atomic.Int64
			counted := func(ctx context.Context, w int) error {
				calls.Add(1)
				return rd.read(ctx, w)
			}
			cpu := cpuTime(rd.pid)
			lat, n, took, err := drive(ctx, o.readers, o.readFor, counted)
			if err != nil && rd.name != "" {
				return nil, fmt.Errorf("%s: %w", rd.name, err)
			}
			if err != nil {
				return nil, err
			}
			r.server += cpuTime(rd.pid) - cpu
			r.calls += calls.Load()
			r.lat = append(r.lat, lat...)
			r.requests += n
			r.took += took
			r.rates = append(r.rates, float64(n)/took.Seconds())
			label := ""
			if rd.name != "" {
				label = " " + rd.name
			}
			logf("inbox: concurrent round %d/%d%s: %.0f requests/s", i+1, o.rounds, label, r.rates[i])
			if len(readers) > 1 {
				// Ctrl-C ends the pause (and the count fails).
				select {
				case <-time.After(settle):
				case <-ctx.Done():
				}
				x1, err := xacts()
				if err != nil {
					return nil, err
				}
				r.xacts += x1 - x0
				x0 = x1
			}
		}
	}
	if len(readers) == 1 {
		time.Sleep(settle)
		x1, err := xacts()
		if err != nil {
			return nil, err
		}
		rs[0].xacts = x1 - x0
	}
	return rs, nil
}

func (r *readRounds) report(t *table, what string) {
	t.add("inbox", what+": requests/s min / median / max", spreadOf(r.rates), "", "")
	t.add("inbox", what+": p50 / p99", ms(percentile(r.lat, 50))+" / "+ms(percentile(r.lat, 99)), "", "")
	perReq := float64(r.server) / float64(time.Millisecond) / float64(r.calls)
	t.add("inbox", what+": server CPU per request", fmt.Sprintf("%.2f ms", perReq), "<= 1.5 ms", verdict(perReq <= 1.5))
	if r.xacts > 0 {
		// The server's background polls count too, so this slightly
		// overstates.
		per := float64(r.xacts) / float64(r.calls)
		t.add("inbox", what+": database transactions per request", fmt.Sprintf("%.1f", per), "1", verdict(per < 1.5))
	}
}

// reportPeer adds a peer's rows: its own figures and, per interleaved
// pair of rounds, ours / its requests/s.
func (r *readRounds) reportPeer(t *table, peer string, ours *readRounds) {
	var ratios []float64
	for i := range min(len(r.rates), len(ours.rates)) {
		ratios = append(ratios, ours.rates[i]/r.rates[i])
	}
	t.add("inbox", peer+": requests/s min / median / max", spreadOf(r.rates), "", "")
	t.add("inbox", "ratio ours / "+peer+" requests/s, per interleaved pair: min / median / max", spreadOf(ratios), "", "")
	t.add("inbox", peer+": p50 / p99", ms(percentile(r.lat, 50))+" / "+ms(percentile(r.lat, 99)), "", "")
	t.add("inbox", peer+": server CPU per request", fmt.Sprintf("%.2f ms", float64(r.server)/float64(time.Millisecond)/float64(r.calls)), "", "")
	if r.xacts > 0 {
		t.add("inbox", peer+": database transactions per request", fmt.Sprintf("%.1f", float64(r.xacts)/float64(r.calls)), "", "")
	}
}

// inboxPeer starts PostGraphile on the inbox's database and checks that
// it lists the threads ours lists.
func inboxPeer(ctx context.Context, db *database, c *client, owner, pageID string) (*postgraphile, error) {
	if !db.postgres() {
		return nil, fmt.Errorf("PostGraphile needs PostgreSQL")
	}
	var ours struct {
		Node struct {
			Threads struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
	}
	if err := c.do(ctx, owner, inboxQuery, map[string]any{"p": pageID}, &ours); err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range ours.Node.Threads.Edges {
		ids = append(ids, e.Node.ID)
	}
	logf("inbox: starting PostGraphile %s", postgraphileVersion)
	p, err := startPostgraphile(ctx, db.url)
	if err != nil {
		return nil, err
	}
	if err := p.check(ctx, newClient(p.url), rawID(pageID), ids); err != nil {
		p.proc.stop()
		return nil, err
	}
	return p, nil
}
