package teaminbox

import (
	"context"
	"slices"
	"sync"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/user"
	"pageinbox/internal/apierr"
	"pageinbox/internal/clock"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
)

// ViewingTTL is how long "viewing" holds without a renewal (rule 38).
const ViewingTTL = 30 * time.Second

// Viewers knows which staff members have which thread open (rule 38).
// Like typing, nothing is stored: every replica keeps the same table in
// memory, fed by KindViewing events that reach all of them, and forgets a
// viewer ViewingTTL after their last renewal. A replica that restarts
// starts empty and learns again within one renewal period.
type Viewers struct {
	broker pubsub.Broker
	clock  clock.Clock
	ttl    time.Duration

	mu      sync.Mutex
	threads map[int]*viewed
}

type viewed struct {
	pageID int
	marks  map[int]mark // user -> their latest event
}

// mark is a user's latest viewing event. A closed thread keeps its mark
// for a while, so a delayed echo of an earlier "viewing" cannot revive it.
type mark struct {
	at time.Time
	on bool
}

func (m mark) active(now time.Time, ttl time.Duration) bool { return m.on && m.at.Add(ttl).After(now) }

// NewViewers returns a registry; Run feeds it.
func NewViewers(broker pubsub.Broker, clk clock.Clock) *Viewers {
	return &Viewers{broker: broker, clock: clk, ttl: ViewingTTL, threads: map[int]*viewed{}}
}

// Run applies every replica's viewing events from sub (see Subscribe)
// until ctx ends. Subscribe before serving requests, so no event is
// published before the registry listens.
func (vs *Viewers) Run(ctx context.Context, sub *pubsub.Subscription) {
	defer sub.Close()
	for {
		select {
		case <-ctx.Done():
			return
		case <-sub.Lost:
			// Missed events are renewals or goodbyes: entries expire on
			// their own, and renewals come again.
		case ev := <-sub.C:
			if ev.Kind == pubsub.KindViewing {
				vs.apply(ev.ThreadID, ev.PageID, ev.UserID, ev.Typing, time.UnixMilli(ev.At).UTC())
			}
		}
	}
}

// Subscribe is the subscription Run reads.
func (vs *Viewers) Subscribe() *pubsub.Subscription { return vs.broker.Watch(pubsub.ViewingTopic()) }

// apply records that uid opened (or closed) a thread at time at and
// reports whether the set of viewers changed. Events count from when they
// were sent, not when they arrived, and an older event never undoes a
// newer one (this replica applies its own at once, then hears the echo).
func (vs *Viewers) apply(threadID, pageID, uid int, viewing bool, at time.Time) bool {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	now := vs.clock.Now()
	v := vs.threads[threadID]
	if v == nil {
		v = &viewed{pageID: pageID, marks: map[int]mark{}}
		vs.threads[threadID] = v
	}
	old, had := v.marks[uid]
	if had && at.Before(old.at) {
		return false
	}
	next := mark{at: at, on: viewing}
	v.marks[uid] = next
	return old.active(now, vs.ttl) != next.active(now, vs.ttl)
}

// Of lists the users who have the thread open now, by id.
func (vs *Viewers) Of(threadID int) []int {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	now := vs.clock.Now()
	var out []int
	if v := vs.threads[threadID]; v != nil {
		for uid, m := range v.marks {
			if m.active(now, vs.ttl) {
				out = append(out, uid)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Expire forgets viewers whose time ran out and announces, to this
// replica's inbox subscribers, a VIEWERS_CHANGED event per thread that
// lost a viewer: every replica expires the same entries, so each tells its
// own subscribers once. It runs on a ticker; tests call it after moving
// the clock.
func (vs *Viewers) Expire() int {
	vs.mu.Lock()
	now := vs.clock.Now()
	var changed []pubsub.Event
	for id, v := range vs.threads {
		lost := false
		for uid, m := range v.marks {
			if m.at.Add(vs.ttl).After(now) {
				continue // active, or a recent goodbye kept against echoes
			}
			lost = lost || m.on
			delete(v.marks, uid)
		}
		if lost {
			changed = append(changed, viewersChanged(id, v.pageID))
		}
		if len(v.marks) == 0 {
			delete(vs.threads, id)
		}
	}
	vs.mu.Unlock()
	for _, ev := range changed {
		vs.broker.Local(ev)
	}
	return len(changed)
}

// RunExpiry calls Expire every interval until ctx ends.
func (vs *Viewers) RunExpiry(ctx context.Context, every time.Duration) {
	poll(ctx, every, func() { vs.Expire() })
}

func viewersChanged(threadID, pageID int) pubsub.Event {
	return pubsub.Event{Topic: pubsub.PageTopic(pageID), Kind: pubsub.KindInbox,
		InboxKind: "VIEWERS_CHANGED", ThreadID: threadID, PageID: pageID}
}

// SetViewing says the viewer, a staff member, has the thread open (or no
// longer has). Renew it within ViewingTTL to stay listed.
func (s *Service) SetViewing(ctx context.Context, threadID int, viewing bool) error {
	if viewer.FromContext(ctx) == nil {
		return apierr.New(apierr.Unauthenticated, "sign in first")
	}
	th, err := s.client.Thread.Get(ctx, threadID)
	if ent.IsNotFound(err) {
		return apierr.New(apierr.NotFound, "thread not found")
	}
	if err != nil {
		return err
	}
	if err := rule.AuthorizeSetViewing(ctx, th.PageID); err != nil {
		return err
	}
	uid, _ := viewer.FromContext(ctx).UserID()
	// This replica learns at once, so the viewer's next query agrees;
	// the others through the event.
	at := s.clock.Now().Truncate(time.Millisecond)
	changed := s.viewers.apply(th.ID, th.PageID, uid, viewing, at)
	events := []pubsub.Event{{Topic: pubsub.ViewingTopic(), Kind: pubsub.KindViewing,
		ThreadID: th.ID, PageID: th.PageID, UserID: uid, Typing: viewing, At: at.UnixMilli()}}
	if changed {
		events = append(events, viewersChanged(th.ID, th.PageID))
	}
	return s.pub.Publish(ctx, events...)
}

// ThreadViewers are the staff members who have the thread open, other
// than the viewer; nil for anyone but the page's inbox staff.
func (s *Service) ThreadViewers(ctx context.Context, th *ent.Thread) ([]*ent.User, error) {
	if ok, err := rule.IsInboxManager(ctx, th.PageID); err != nil || !ok {
		return nil, err
	}
	me, _ := viewer.FromContext(ctx).UserID()
	ids := slices.DeleteFunc(s.viewers.Of(th.ID), func(id int) bool { return id == me })
	if len(ids) == 0 {
		return []*ent.User{}, nil
	}
	return s.client.User.Query().Where(user.IDIn(ids...)).Order(ent.Asc(user.FieldID)).All(ctx)
}
