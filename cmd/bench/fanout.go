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
// sees) and from the commit (what the fan-out itself costs). (A group chat would be the other broadcast, but holds at
// most 250 members: rule 18.)
//
// With -peer, Centrifugo then serves as many subscribers, after ours has
// stopped, and the rows compare the two.
func benchFanout(ctx context.Context, o options, t *table) error {
	ours, err := fanoutOurs(ctx, o, t)
	if err != nil || !o.peer {
		return err
	}
	peer := "Centrifugo " + centrifugoVersion
	theirs, err := fanoutCentrifugo(ctx, o)
	if err != nil {
		logf("fanout: Centrifugo skipped: %v", err)
		t.add("fanout", peer, "skipped: "+err.Error(), "", "")
		return nil
	}
	t.add("fanout", peer+": websocket subscribers (JSON protocol, HMAC JWT), run after ours", strconv.Itoa(o.subscribers), "", "")
	t.add("fanout", fmt.Sprintf("%s: publishing call (HTTP API /api/publish) p50 / p99 (%d messages)", peer, o.fanoutMessages),
		ms(percentile(theirs.sending, 50))+" / "+ms(percentile(theirs.sending, 99)), "", "")
	t.add("fanout", peer+": delivery p50 / p99 from the publishing call",
		ms(percentile(theirs.fromCall, 50))+" / "+ms(percentile(theirs.fromCall, 99)), "", "")
	t.add("fanout", peer+": until the last subscriber, from the call: p50 / max",
		ms(percentile(theirs.lastArrivals, 50))+" / "+ms(percentile(theirs.lastArrivals, 100)), "", "")
	t.add("fanout", peer+": CPU per delivery: server / load client",
		fmt.Sprintf("%.1f / %.1f µs", us(theirs.server)/theirs.deliveries, us(theirs.self)/theirs.deliveries), "", "")
	t.add("fanout", peer+": server RSS per idle connection", fmt.Sprintf("%.1f KiB", theirs.perSub/1024), "", "")
	ratio := func(a, b []time.Duration) string {
		return fmt.Sprintf("%.2f / %.2f", float64(percentile(a, 50))/float64(percentile(b, 50)), float64(percentile(a, 99))/float64(percentile(b, 99)))
	}
	t.add("fanout", "ratio ours / Centrifugo: sending mutation / publishing call, p50 / p99", ratio(ours.sending, theirs.sending), "", "")
	t.add("fanout", "ratio ours / Centrifugo: delivery from the call, p50 / p99", ratio(ours.fromCall, theirs.fromCall), "", "")
	if len(ours.fromCommit) > 0 {
		t.add("fanout", "ratio ours from the commit / Centrifugo from the call: delivery p50 / p99", ratio(ours.fromCommit, theirs.fromCall), "", "")
	}
	t.add("fanout", "ratio ours / Centrifugo: server CPU per delivery",
		fmt.Sprintf("%.2f", (us(ours.server)/ours.deliveries)/(us(theirs.server)/theirs.deliveries)), "", "")
	t.add("fanout", "ratio ours / Centrifugo: server RSS per idle subscription", fmt.Sprintf("%.2f", ours.perSub/theirs.perSub), "", "")
	return nil
}

// fanoutFigures is what the fan-out comparison needs of one server's run.
type fanoutFigures struct {
	sending      []time.Duration // the sending (publishing) call's own latency
	fromCall     []time.Duration // every delivery: call -> receipt
	fromCommit   []time.Duration // ours: every delivery: commit -> receipt
	lastArrivals []time.Duration // per message: call -> the last subscriber had it
	server, self time.Duration   // CPU time over the measured messages
	deliveries   float64         // measured messages x subscribers
	perSub       float64         // RSS bytes per idle subscription
}

// fanoutOurs is our server's fan-out; it adds its rows and returns its
// figures for the peer's ratios.
func fanoutOurs(ctx context.Context, o options, t *table) (*fanoutFigures, error) {
	db, err := newDatabase(o, "fanout")
	if err != nil {
		return nil, err
	}
	defer db.drop()
	srv, err := startServer(ctx, db.url, db.dataDir)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	c := newClient(srv.url())
	g, err := newStaffPage(ctx, c, db, o.subscribers)
	if err != nil {
		return nil, err
	}
	before, err := srv.rss()
	if err != nil {
		return nil, err
	}

	d := newDeliveries()
	start := time.Now()
	readers, stop, err := g.subscribeAll(ctx, srv.wsURL(), d)
	defer func() { stop(); readers.Wait() }()
	if err != nil {
		return nil, err
	}
	logf("fanout: %d subscribers connected in %s", o.subscribers, time.Since(start).Round(time.Millisecond))
	// Idle: every subscription registered, nothing sent yet (a message's
	// own garbage - a visitor message writes a notification per staff
	// member - is not subscription memory).
	if err := srv.waitSubscribers(ctx, o.subscribers, 2*time.Minute); err != nil {
		return nil, err
	}
	time.Sleep(3 * time.Second)
	idle, err := srv.rss()
	if err != nil {
		return nil, err
	}
	// A first message proves every subscription is live.
	if err := g.send(ctx, c, 2, "warm-up"); err != nil {
		return nil, err
	}
	if err := d.wait(ctx, 2, o.subscribers, 2*time.Minute); err != nil {
		return nil, err
	}

	var marks *commitMarks
	if db.postgres() {
		if marks, err = listenCommits(db.url, g.thread); err != nil {
			return nil, err
		}
		defer marks.close()
	}
	// Each clock is read in one place: called just before the sending
	// mutation, the commit mark as PostgreSQL hands out the NOTIFY, and
	// each receipt as its frame is read.
	var (
		sending      []time.Duration // the sending mutation's own latency
		fromCall     []time.Duration // every delivery: sender's call -> receipt
		fromCommit   []time.Duration // every delivery: commit -> receipt
		lastArrivals []time.Duration // per message: call -> the last subscriber had it
		perMessage   []time.Duration // per message: p99 from the call
		unmarked     int             // messages whose commit mark did not come in time
	)
	cpu := startCPU(srv.pid())
	for seq := 3; seq < 3+o.fanoutMessages; seq++ {
		called := time.Now()
		if err := g.send(ctx, c, seq, fmt.Sprintf("fan-out %d", seq)); err != nil {
			return nil, err
		}
		sending = append(sending, time.Since(called))
		if err := d.wait(ctx, seq, o.subscribers, time.Minute); err != nil {
			return nil, err
		}
		l := d.latencies(seq, called)
		fromCall = append(fromCall, l...)
		lastArrivals = append(lastArrivals, percentile(l, 100))
		perMessage = append(perMessage, percentile(l, 99))
		if marks != nil {
			if t0, ok := marks.wait(seq, 5*time.Second); ok {
				fromCommit = append(fromCommit, d.latencies(seq, t0)...)
			} else {
				unmarked++
			}
		}
		logf("fanout: message %d: send %s, from the call p50 %s, last %s", seq, ms(sending[len(sending)-1]), ms(percentile(l, 50)), ms(percentile(l, 100)))
		time.Sleep(300 * time.Millisecond)
	}
	pg, server, self := cpu.stop()
	n := float64(o.fanoutMessages * o.subscribers)
	perSub := float64(idle-before) / float64(o.subscribers)
	sendP99, p99 := percentile(sending, 99), percentile(fromCall, 99)
	t.add("fanout", "websocket subscribers on one server", strconv.Itoa(o.subscribers), "10,000", "")
	t.add("fanout", fmt.Sprintf("sending mutation p50 / p99 (%d messages)", o.fanoutMessages),
		ms(percentile(sending, 50))+" / "+ms(sendP99), "p99 < 50 ms", verdict(sendP99 < 50*time.Millisecond))
	t.add("fanout", "delivery p50 / p99 from the sender's call",
		ms(percentile(fromCall, 50))+" / "+ms(p99), "p99 < 250 ms", verdict(p99 < 250*time.Millisecond))
	t.add("fanout", "per-message p99 from the call: min / median / max", spread(perMessage), "", "")
	if marks != nil {
		v := ms(percentile(fromCommit, 50)) + " / " + ms(percentile(fromCommit, 99))
		if unmarked > 0 {
			v += fmt.Sprintf(" (%d of %d messages had no commit mark within 5 s)", unmarked, o.fanoutMessages)
		}
		t.add("fanout", "delivery p50 / p99 from the commit (its NOTIFY)", v, "", "")
	}
	t.add("fanout", "until the last subscriber, from the call: p50 / max", ms(percentile(lastArrivals, 50))+" / "+ms(percentile(lastArrivals, 100)), "", "")
	t.add("fanout", "CPU per delivery: database / server / load client",
		fmt.Sprintf("%.1f / %.1f / %.1f µs", us(pg)/n, us(server)/n, us(self)/n), "", "")
	t.add("fanout", "server RSS per idle subscription", fmt.Sprintf("%.1f KiB", perSub/1024), "<= 28 KiB", verdict(perSub <= 28*1024))
	if n := d.errs.Load(); n > 0 {
		return nil, fmt.Errorf("%d subscription errors", n)
	}
	return &fanoutFigures{sending: sending, fromCall: fromCall, fromCommit: fromCommit, lastArrivals: lastArrivals,
		server: server, self: self, deliveries: n, perSub: perSub}, nil
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
	query := `subscription($p: ID!) { inboxEvent(pageId: $p) { kind thread { id } message { seq createdAt } } }`
	for range 32 {
		dialers.Go(func() {
			for u := range next {
				if err := subscribe(rctx, wsURL, u.token, query, map[string]any{"p": p.page}, d, readers); err != nil {
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
