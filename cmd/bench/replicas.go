package main

import (
	"context"
	"fmt"
	"time"
)

// benchReplicas starts two server processes on one PostgreSQL database:
// a visitor writes through replica A while 100 staff members watch the
// inbox on replica B. Latency runs from the sender's call, and from the
// commit (the NOTIFY, as in fan-out), to the arrival on B's websockets.
func benchReplicas(ctx context.Context, o options, t *table) error {
	db, err := newDatabase(o, "replicas")
	if err != nil {
		return err
	}
	defer db.drop()
	a, err := startServer(ctx, db.url, db.dataDir)
	if err != nil {
		return err
	}
	defer a.stop()
	b, err := startServer(ctx, db.url, db.dataDir)
	if err != nil {
		return err
	}
	defer b.stop()
	ca := newClient(a.url())
	const watchers = 100
	p, err := newStaffPage(ctx, ca, db, watchers)
	if err != nil {
		return err
	}
	d := newDeliveries()
	readers, stop, err := p.subscribeAll(ctx, b.wsURL(), d)
	defer func() { stop(); readers.Wait() }()
	if err != nil {
		return err
	}
	marks, err := listenCommits(db.url, p.thread)
	if err != nil {
		return err
	}
	defer marks.close()
	if err := p.send(ctx, ca, 2, "warm-up"); err != nil {
		return err
	}
	if err := d.wait(ctx, 2, watchers, time.Minute); err != nil {
		return err
	}
	var (
		fromCall, fromCommit []time.Duration
		unmarked             int
	)
	for seq := 3; seq < 3+o.replicaMessages; seq++ {
		called := time.Now()
		if err := p.send(ctx, ca, seq, fmt.Sprintf("across %d", seq)); err != nil {
			return err
		}
		if err := d.wait(ctx, seq, watchers, 30*time.Second); err != nil {
			return err
		}
		fromCall = append(fromCall, d.latencies(seq, called)...)
		if t0, ok := marks.wait(seq, 5*time.Second); ok {
			fromCommit = append(fromCommit, d.latencies(seq, t0)...)
		} else {
			unmarked++
		}
		time.Sleep(20 * time.Millisecond)
	}
	p99 := percentile(fromCall, 99)
	t.add("replicas", fmt.Sprintf("sent on A, %d inbox watchers on B", watchers), fmt.Sprintf("%d messages", o.replicaMessages), "", "")
	t.add("replicas", "cross-replica delivery p50 / p99 from the sender's call", ms(percentile(fromCall, 50))+" / "+ms(p99), "p99 < 100 ms", verdict(p99 < 100*time.Millisecond))
	v := ms(percentile(fromCommit, 50)) + " / " + ms(percentile(fromCommit, 99))
	if unmarked > 0 {
		v += fmt.Sprintf(" (%d of %d messages had no commit mark within 5 s)", unmarked, o.replicaMessages)
	}
	t.add("replicas", "cross-replica delivery p50 / p99 from the commit (its NOTIFY)", v, "", "")
	if n := d.errs.Load(); n > 0 {
		return fmt.Errorf("%d subscription errors", n)
	}
	return nil
}
