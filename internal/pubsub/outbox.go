package pubsub

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/google/uuid"

	"pageinbox/ent"
	"pageinbox/ent/busevent"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// Outbox is the event bus's transactional outbox: the events of a change
// are rows (ent BusEvent) written in the change's transaction, and a relay
// publishes them once it committed, and again after a crash.
//
// Exactly one replica relays a row at a time. The replica that wrote a row
// holds it from the start (its lease, locked_until, is set on insert), so
// it publishes right after commit without claiming anything; rows whose
// lease ran out (their relay died or could not reach the bus) are claimed
// by a sweep with FOR UPDATE SKIP LOCKED, like webhook deliveries. A row
// is deleted once the bus acknowledged it; a row published twice (the
// relay died between the acknowledgement and the delete) carries the same
// event id both times, and the bus drops the copy (Nats-Msg-Id).
type Outbox struct {
	client  *ent.Client
	publish func(ctx context.Context, rows []outboxRow) error
	log     *slog.Logger
	lease   time.Duration
	poll    time.Duration

	mu      sync.Mutex
	pending []outboxRow
	kick    chan struct{}
	stop    context.CancelFunc
	done    sync.WaitGroup
	// deleting ends once the deletes channel is drained.
	deleting sync.WaitGroup

	relayed atomic.Int64
	failed  atomic.Int64
	// deletes carries the ids of published rows to the deleter, so the
	// next publish does not wait for the database.
	deletes chan []int
}

// outboxRow is one held row: its id, event id and event, and until when
// this replica holds it.
type outboxRow struct {
	id      int
	eventID string
	event   Event
	until   time.Time
}

// outboxLease is how long a relay holds rows before another replica may
// take them over.
const outboxLease = 15 * time.Second

func newOutbox(client *ent.Client, publish func(context.Context, []outboxRow) error, log *slog.Logger) *Outbox {
	ctx, stop := context.WithCancel(context.Background())
	o := &Outbox{client: client, publish: publish, log: log, lease: outboxLease, poll: time.Second,
		kick: make(chan struct{}, 1), stop: stop, deletes: make(chan []int, 64)}
	o.done.Go(func() { o.run(ctx) })
	o.deleting.Go(o.deleter)
	return o
}

// deleter deletes published rows, several batches in one statement when
// they pile up, until the deletes channel closes.
func (o *Outbox) deleter() {
	for ids := range o.deletes {
		for more := true; more && len(ids) < 4096; {
			select {
			case next, ok := <-o.deletes:
				if !ok {
					more = false
					break
				}
				ids = append(ids, next...)
			default:
				more = false
			}
		}
		// A failed delete only means the rows are published again later
		// (and deduplicated by their event ids).
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if _, err := o.client.BusEvent.Delete().Where(busevent.IDIn(ids...)).
			Exec(rule.AuthorizeBusRelay(ctx, ids...)); err != nil {
			o.log.Warn("event bus relay: delete published rows", "err", err)
		}
		cancel()
	}
}

// Stage writes the events in tx, held by this replica; the returned
// function hands them to the relay (call it after commit).
func (o *Outbox) Stage(ctx context.Context, tx *ent.Tx, events []Event) (func(), error) {
	until := time.Now().Add(o.lease)
	creates := make([]*ent.BusEventCreate, len(events))
	for i, ev := range events {
		b, err := json.Marshal(ev)
		if err != nil {
			return nil, err
		}
		creates[i] = tx.BusEvent.Create().SetEventID(uuid.NewString()).SetPayload(string(b)).SetLockedUntil(until)
	}
	rows, err := tx.BusEvent.CreateBulk(creates...).Save(rule.AuthorizeBusOutbox(ctx))
	if err != nil {
		return nil, err
	}
	held := make([]outboxRow, len(rows))
	for i, r := range rows {
		held[i] = outboxRow{id: r.ID, eventID: r.EventID, event: events[i], until: until}
	}
	return func() { o.hand(held) }, nil
}

// hand queues held rows for the relay.
func (o *Outbox) hand(rows []outboxRow) {
	o.mu.Lock()
	o.pending = append(o.pending, rows...)
	o.mu.Unlock()
	select {
	case o.kick <- struct{}{}:
	default:
	}
}

// Pending counts the rows this replica holds and has not published yet.
func (o *Outbox) Pending() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.pending)
}

// run relays what this replica holds and sweeps abandoned rows until
// Close.
func (o *Outbox) run(ctx context.Context) {
	t := time.NewTicker(o.poll)
	defer t.Stop()
	backoff := time.Duration(0)
	for {
		select {
		case <-ctx.Done():
			return
		case <-o.kick:
		case <-t.C:
			o.sweep(ctx)
		}
		if backoff > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
		}
		if o.flush(ctx) {
			backoff = 0
		} else {
			backoff = min(max(2*backoff, 50*time.Millisecond), time.Second)
			// Try again without waiting for the next kick.
			select {
			case o.kick <- struct{}{}:
			default:
			}
		}
	}
}

// flush publishes the held rows, oldest first, and deletes the
// acknowledged ones. It reports whether everything went out.
func (o *Outbox) flush(ctx context.Context) bool {
	o.mu.Lock()
	rows := o.pending
	o.pending = nil
	o.mu.Unlock()
	// Rows whose lease is about to end are left to the sweep: another
	// replica may take them over from then on.
	now := time.Now()
	live := rows[:0]
	for _, r := range rows {
		if r.until.After(now.Add(time.Second)) {
			live = append(live, r)
		}
	}
	for len(live) > 0 {
		n := min(len(live), 256)
		batch := live[:n]
		if err := o.publish(ctx, batch); err != nil {
			o.failed.Add(1)
			if ctx.Err() == nil {
				o.log.Warn("event bus relay cannot publish yet; retrying", "err", err, "held", len(live))
			}
			o.mu.Lock()
			o.pending = append(live, o.pending...)
			o.mu.Unlock()
			return false
		}
		o.relayed.Add(int64(n))
		ids := make([]int, n)
		for i, r := range batch {
			ids[i] = r.id
		}
		o.deletes <- ids
		live = live[n:]
	}
	return true
}

// sweep claims rows whose relay's lease ended.
func (o *Outbox) sweep(ctx context.Context) {
	ctx = rule.For(ctx, rule.EventRelay)
	now := time.Now()
	until := now.Add(o.lease)
	var claimed []outboxRow
	err := store.InTx(ctx, o.client, func(tx *ent.Tx) error {
		q := tx.BusEvent.Query().Where(busevent.LockedUntilLT(now)).Order(ent.Asc(busevent.FieldID)).Limit(256)
		rows, err := store.ForUpdate(q, entsql.WithLockAction(entsql.SkipLocked)).All(ctx)
		if err != nil || len(rows) == 0 {
			return err
		}
		ids := make([]int, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		if err := tx.BusEvent.Update().Where(busevent.IDIn(ids...)).SetLockedUntil(until).
			Exec(rule.AuthorizeBusRelay(ctx, ids...)); err != nil {
			return err
		}
		claimed = make([]outboxRow, 0, len(rows))
		for _, r := range rows {
			var ev Event
			if err := json.Unmarshal([]byte(r.Payload), &ev); err != nil {
				o.log.Error("event bus relay: undecodable outbox row", "id", r.ID, "err", err)
				continue
			}
			claimed = append(claimed, outboxRow{id: r.ID, eventID: r.EventID, event: ev, until: until})
		}
		return nil
	})
	if err != nil {
		if ctx.Err() == nil {
			o.log.Warn("event bus relay: sweep", "err", err)
		}
		return
	}
	if len(claimed) > 0 {
		o.hand(claimed)
	}
}

// close stops the relay; rows still held are relayed by whichever replica
// sweeps them once their lease ends (this one, after a restart).
func (o *Outbox) close() {
	o.stop()
	o.done.Wait()
	// A graceful stop publishes what it holds, if the bus answers soon.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	o.flush(ctx)
	close(o.deletes)
	o.deleting.Wait()
}
