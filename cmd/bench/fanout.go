package main

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// benchFanout connects o.subscribers websocket subscribers to one server -
// the staff of one page, each watching its inbox (inboxEvent) - and
// measures how long each visitor message takes from the sending call to
// its arrival at every one of them; and the server's memory per idle
// subscription. Latency is reported from the sender's call (what a user
// sees) and from the commit (what the fan-out itself costs). (A group chat
// would be the other broadcast, but holds at most 250 members: rule 18.)
//
// With -peer, Centrifugo serves as many subscribers at the same time, and
// the two take turns message by message (which of a pair goes first
// alternates): a noisy machine slows both sides of a pair alike, so the
// per-pair ratios are the comparison.
func benchFanout(ctx context.Context, o options, t *table) error {
	ours, closeOurs, err := fanoutOurs(ctx, o)
	if err != nil {
		return err
	}
	defer closeOurs()
	peer := "Centrifugo " + centrifugoVersion
	var theirs *fanoutSide
	sides := []*fanoutSide{ours}
	if o.peer {
		th, closeTheirs, err := fanoutCentrifugo(ctx, o)
		if err != nil {
			logf("fanout: Centrifugo skipped: %v", err)
			t.add("fanout", peer, "skipped: "+err.Error(), "", "")
		} else {
			defer closeTheirs()
			theirs = th
			sides = append(sides, theirs)
		}
	}
	if err := runFanout(ctx, o, sides); err != nil {
		return err
	}
	f := &ours.fanoutFigures
	n := f.deliveries
	sendP99, p99 := percentile(f.sending, 99), percentile(f.fromCall, 99)
	t.add("fanout", "websocket subscribers on one server", strconv.Itoa(o.subscribers), "10,000", "")
	t.add("fanout", fmt.Sprintf("sending mutation p50 / p99 (%d messages)", o.fanoutMessages),
		ms(percentile(f.sending, 50))+" / "+ms(sendP99), "p99 < 50 ms", verdict(sendP99 < 50*time.Millisecond))
	t.add("fanout", "delivery p50 / p99 from the sender's call",
		ms(percentile(f.fromCall, 50))+" / "+ms(p99), "p99 < 250 ms", verdict(p99 < 250*time.Millisecond))
	t.add("fanout", "per-message p99 from the call: min / median / max", spread(f.perMessage), "", "")
	if ours.marks != nil {
		v := ms(percentile(f.fromCommit, 50)) + " / " + ms(percentile(f.fromCommit, 99))
		if f.unmarked > 0 {
			v += fmt.Sprintf(" (%d of %d messages had no commit mark within 5 s)", f.unmarked, o.fanoutMessages)
		}
		t.add("fanout", "delivery p50 / p99 from the commit (its NOTIFY)", v, "", "")
	}
	// The first and the last arrival split a message's latency into
	// getting started (commit, event, first write) and getting through
	// every socket.
	t.add("fanout", "until the first subscriber, from the call: p50 / max", ms(percentile(f.firstArrivals, 50))+" / "+ms(percentile(f.firstArrivals, 100)), "", "")
	t.add("fanout", "until the last subscriber, from the call: p50 / max", ms(percentile(f.lastArrivals, 50))+" / "+ms(percentile(f.lastArrivals, 100)), "", "")
	t.add("fanout", "CPU per delivery: database / server / load client (each message's window, its pause included)",
		fmt.Sprintf("%.1f / %.1f / %.1f µs", us(f.pg)/n, us(f.server)/n, us(f.self)/n), "", "")
	t.add("fanout", "server RSS per idle subscription", fmt.Sprintf("%.1f KiB", f.perSub/1024), "<= 28 KiB", verdict(f.perSub <= 28*1024))
	t.add("fanout", "machine before the measured messages (CPU at most 10 % busy, waited at most 30 s)", f.quiet, "", "")
	if theirs == nil {
		return nil
	}
	g := &theirs.fanoutFigures
	t.add("fanout", peer+": websocket subscribers (JSON protocol, HMAC JWT), connected at the same time, messages interleaved with ours",
		strconv.Itoa(o.subscribers), "", "")
	t.add("fanout", fmt.Sprintf("%s: publishing call (HTTP API /api/publish) p50 / p99 (%d messages)", peer, o.fanoutMessages),
		ms(percentile(g.sending, 50))+" / "+ms(percentile(g.sending, 99)), "", "")
	t.add("fanout", peer+": delivery p50 / p99 from the publishing call",
		ms(percentile(g.fromCall, 50))+" / "+ms(percentile(g.fromCall, 99)), "", "")
	t.add("fanout", peer+": per-message p99 from the call: min / median / max", spread(g.perMessage), "", "")
	t.add("fanout", peer+": until the first subscriber, from the call: p50 / max",
		ms(percentile(g.firstArrivals, 50))+" / "+ms(percentile(g.firstArrivals, 100)), "", "")
	t.add("fanout", peer+": until the last subscriber, from the call: p50 / max",
		ms(percentile(g.lastArrivals, 50))+" / "+ms(percentile(g.lastArrivals, 100)), "", "")
	t.add("fanout", peer+": CPU per delivery: server / load client",
		fmt.Sprintf("%.1f / %.1f µs", us(g.server)/g.deliveries, us(g.self)/g.deliveries), "", "")
	t.add("fanout", peer+": server RSS per idle connection", fmt.Sprintf("%.1f KiB", g.perSub/1024), "", "")
	ratio := func(a, b []time.Duration) string {
		return fmt.Sprintf("%.2f / %.2f", float64(percentile(a, 50))/float64(percentile(b, 50)), float64(percentile(a, 99))/float64(percentile(b, 99)))
	}
	t.add("fanout", "ratio ours / Centrifugo: sending mutation / publishing call, p50 / p99", ratio(f.sending, g.sending), "", "")
	t.add("fanout", "ratio ours / Centrifugo: delivery from the call, p50 / p99 (all messages)", ratio(f.fromCall, g.fromCall), "", "")
	// Per interleaved pair: message i of ours against message i of theirs.
	var p50s, p99s []float64
	for i := range min(len(f.perMessage), len(g.perMessage)) {
		p50s = append(p50s, float64(f.perMessageP50[i])/float64(g.perMessageP50[i]))
		p99s = append(p99s, float64(f.perMessage[i])/float64(g.perMessage[i]))
	}
	t.add("fanout", "ratio ours / Centrifugo per interleaved pair, delivery p50 from the call: min / median / max", spreadOf(p50s), "", "")
	medianP99 := median(p99s)
	t.add("fanout", "ratio ours / Centrifugo per interleaved pair, delivery p99 from the call: min / median / max", spreadOf(p99s),
		"median <= 1.0", verdict(medianP99 <= 1.0))
	if len(f.fromCommit) > 0 {
		t.add("fanout", "ratio ours from the commit / Centrifugo from the call: delivery p50 / p99", ratio(f.fromCommit, g.fromCall), "", "")
	}
	t.add("fanout", "ratio ours / Centrifugo: server CPU per delivery",
		fmt.Sprintf("%.2f", (us(f.server)/f.deliveries)/(us(g.server)/g.deliveries)), "", "")
	t.add("fanout", "ratio ours / Centrifugo: server RSS per idle subscription", fmt.Sprintf("%.2f", f.perSub/g.perSub), "", "")
	return nil
}

// fanoutFigures is what one server's fan-out measured.
type fanoutFigures struct {
	sending       []time.Duration // the sending (publishing) call's own latency
	fromCall      []time.Duration // every delivery: call -> receipt
	fromCommit    []time.Duration // ours: every delivery: commit -> receipt
	lastArrivals  []time.Duration // per message: call -> the last subscriber had it
	firstArrivals []time.Duration // per message: call -> the first subscriber had it
	perMessage    []time.Duration // per message: p99 from the call
	perMessageP50 []time.Duration // per message: p50 from the call
	unmarked      int             // ours: messages whose commit mark did not come in time
	pg            time.Duration   // CPU time over the measured messages
	server, self  time.Duration
	deliveries    float64 // measured messages x subscribers
	perSub        float64 // RSS bytes per idle subscription
	quiet         string  // how the machine was before the measured messages
}

// fanoutSide is one server with its subscribers connected, ready to send
// measured messages.
type fanoutSide struct {
	name  string
	pid   int
	d     *loadProc                                // its subscribers
	send  func(ctx context.Context, seq int) error // the sending call
	marks *commitMarks                             // ours on PostgreSQL: the commit clock
	fanoutFigures
}

// runFanout sends o.fanoutMessages measured messages through every side,
// taking turns; which side goes first alternates from one round to the
// next. Each clock is read in one place: just before the sending call,
// the commit mark as PostgreSQL hands out the NOTIFY, and each receipt as
// its frame is read. A message's CPU window runs from its call to the
// next call, so work a server defers to just after a fan-out counts.
func runFanout(ctx context.Context, o options, sides []*fanoutSide) error {
	// Each run starts on a quiet machine: when the two servers run one
	// after the other, whatever ran before the first (its own warm-up's
	// notification rows, the previous section) must not slow it alone.
	waited, busy := waitQuiet(ctx, 30*time.Second)
	quiet := fmt.Sprintf("waited %s; %.0f %% busy", waited.Round(100*time.Millisecond), 100*busy)
	logf("fanout: %s", quiet)
	for _, s := range sides {
		s.quiet = quiet
	}
	for i := range o.fanoutMessages {
		seq := 3 + i
		for k := range sides {
			s := sides[(k+i)%len(sides)]
			cpu := startCPUOf(s.pid, s.d.pid())
			called := time.Now()
			if err := s.send(ctx, seq); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			s.sending = append(s.sending, time.Since(called))
			if err := s.d.wait(ctx, seq, o.subscribers, time.Minute); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			l := s.d.latencies(seq, called)
			s.fromCall = append(s.fromCall, l...)
			s.lastArrivals = append(s.lastArrivals, percentile(l, 100))
			s.firstArrivals = append(s.firstArrivals, percentile(l, 0))
			s.perMessage = append(s.perMessage, percentile(l, 99))
			s.perMessageP50 = append(s.perMessageP50, percentile(l, 50))
			if s.marks != nil {
				if t0, ok := s.marks.wait(seq, 5*time.Second); ok {
					s.fromCommit = append(s.fromCommit, s.d.latencies(seq, t0)...)
				} else {
					s.unmarked++
				}
			}
			logf("fanout: %s message %d: call %s, from the call p50 %s, last %s", s.name, seq, ms(s.sending[len(s.sending)-1]), ms(percentile(l, 50)), ms(percentile(l, 100)))
			time.Sleep(300 * time.Millisecond)
			pg, server, self := cpu.stop()
			s.pg, s.server, s.self = s.pg+pg, s.server+server, s.self+self
		}
	}
	for _, s := range sides {
		s.deliveries = float64(o.fanoutMessages * o.subscribers)
		n, err := s.d.errors()
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		if n > 0 {
			return fmt.Errorf("%s: %d subscription errors", s.name, n)
		}
	}
	return nil
}

// fanoutOurs starts our server with its subscribers connected and idle
// memory measured; the returned function stops it.
func fanoutOurs(ctx context.Context, o options) (side *fanoutSide, stop func(), err error) {
	var undo []func()
	cleanup := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	db, err := newDatabase(o, "fanout")
	if err != nil {
		return nil, nil, err
	}
	undo = append(undo, db.drop)
	srv, err := startServer(ctx, db.url, db.dataDir)
	if err != nil {
		return nil, nil, err
	}
	undo = append(undo, srv.stop)
	c := newClient(srv.url())
	g, err := newStaffPage(ctx, c, db, o.subscribers)
	if err != nil {
		return nil, nil, err
	}
	before, err := srv.rss()
	if err != nil {
		return nil, nil, err
	}
	start := time.Now()
	tokens := make([]string, len(g.staff))
	for i, u := range g.staff {
		tokens[i] = u.token
	}
	load, err := startLoad(ctx, loadSpec{Kind: "graphql", URL: srv.wsURL(), Tokens: tokens,
		Query: inboxEventQuery, Vars: map[string]any{"p": g.page}}, 5*time.Minute)
	if err != nil {
		return nil, nil, err
	}
	undo = append(undo, load.stop)
	logf("fanout: %d subscribers connected in %s", o.subscribers, time.Since(start).Round(time.Millisecond))
	// Idle: every subscription registered, nothing sent yet (a message's
	// own garbage - a visitor message writes a notification per staff
	// member - is not subscription memory).
	if err := srv.waitSubscribers(ctx, o.subscribers, 2*time.Minute); err != nil {
		return nil, nil, err
	}
	time.Sleep(3 * time.Second)
	idle, err := srv.rss()
	if err != nil {
		return nil, nil, err
	}
	// A first message proves every subscription is live.
	if err := g.send(ctx, c, 2, "warm-up"); err != nil {
		return nil, nil, err
	}
	if err := load.wait(ctx, 2, o.subscribers, 2*time.Minute); err != nil {
		return nil, nil, err
	}
	side = &fanoutSide{name: "pageinbox", pid: srv.pid(), d: load,
		send: func(ctx context.Context, seq int) error { return g.send(ctx, c, seq, fmt.Sprintf("fan-out %d", seq)) }}
	side.perSub = float64(idle-before) / float64(o.subscribers)
	if db.postgres() {
		if side.marks, err = listenCommits(db.url, g.thread); err != nil {
			return nil, nil, err
		}
		undo = append(undo, side.marks.close)
	}
	return side, cleanup, nil
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// staffPage is a page with generated staff, each with a session, and a
// visitor's thread.
type staffPage struct {
	page, thread string
	visitor      string // token
	staff        []benchUser
}

// newStaffPage creates a page with n MODERATORs (a support team: they
// all watch the inbox) and a visitor who has written once.
func newStaffPage(ctx context.Context, c *client, db *database, n int) (*staffPage, error) {
	owner, _, err := c.signUp(ctx, "owner")
	if err != nil {
		return nil, err
	}
	pageID, err := c.createPage(ctx, owner, "benchpage")
	if err != nil {
		return nil, err
	}
	visitor, _, err := c.signUp(ctx, "visitor")
	if err != nil {
		return nil, err
	}
	thread, err := c.sendToPage(ctx, visitor, pageID, "Hello, anyone there?")
	if err != nil {
		return nil, err
	}
	raw, err := db.open()
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	staff, err := makeUsers(ctx, raw, db.postgres(), "agent", n, true)
	if err != nil {
		return nil, err
	}
	page := rawID(pageID)
	if err := addStaff(ctx, raw, db.postgres(), page, "MODERATOR", staff); err != nil {
		return nil, err
	}
	return &staffPage{page: pageID, thread: thread, visitor: visitor, staff: staff}, nil
}

// inboxEventQuery is what every staff member's subscription asks for.
const inboxEventQuery = `subscription($p: ID!) { inboxEvent(pageId: $p) { kind thread { id } message { seq createdAt } } }`

// subscribeAll subscribes every staff member to the page's inbox events;
// stop ends the readers.
func (p *staffPage) subscribeAll(ctx context.Context, wsURL string, d *deliveries) (*sync.WaitGroup, func(), error) {
	rctx, stop := context.WithCancel(ctx)
	readers := &sync.WaitGroup{}
	var (
		dialers sync.WaitGroup
		mu      sync.Mutex
		first   error
	)
	next := make(chan benchUser)
	for range 32 {
		dialers.Go(func() {
			for u := range next {
				if err := subscribe(rctx, wsURL, u.token, inboxEventQuery, map[string]any{"p": p.page}, d, readers); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		})
	}
	for _, u := range p.staff {
		next <- u
	}
	close(next)
	dialers.Wait()
	return readers, stop, first
}

// send posts a visitor message and checks its seq.
func (p *staffPage) send(ctx context.Context, c *client, seq int, body string) error {
	var out struct {
		SendMessageToPage struct{ Message struct{ Seq int } }
	}
	err := c.do(ctx, p.visitor, `mutation($i: SendMessageToPageInput!) { sendMessageToPage(input: $i) { message { seq } } }`,
		map[string]any{"i": map[string]any{"pageId": p.page, "body": body}}, &out)
	if err != nil {
		return err
	}
	if out.SendMessageToPage.Message.Seq != seq {
		return fmt.Errorf("sent seq %d, expected %d", out.SendMessageToPage.Message.Seq, seq)
	}
	return nil
}
