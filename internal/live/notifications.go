package live

import (
	"context"

	"pageinbox/ent"
	"pageinbox/ent/notification"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
)

// recentNotifications is how many notifications a resynchronisation
// re-reads, and how many delivered ids a stream remembers.
const recentNotifications = 100

// Notifications streams the signed-in user's new notifications
// (notificationAdded). Notification ids are not assigned in commit order,
// and an event may arrive after the stream started for a notification
// committed before it (events are published after the commit, not with
// it). So the stream remembers ids rather than a high-water mark: those
// that existed when it started (history, never sent) and those it
// delivered; a resynchronisation sends the recent ones it has not seen.
func (s *Streams) Notifications(ctx context.Context) (<-chan *ent.Notification, error) {
	uid, err := rule.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	v := viewer.FromContext(ctx)
	sub := s.broker.Subscribe(append(controlTopics(v), pubsub.UserTopic(uid))...)
	s.fanIn.add(uid) // group messages' notifications arrive through it
	// Everything that exists now is history, not news: read after
	// subscribing, so a notification is either history or its event comes.
	history, err := s.client.Notification.Query().
		Where(notification.RecipientID(uid)).
		Order(ent.Desc(notification.FieldID)).
		Limit(recentNotifications).
		IDs(ctx)
	if err != nil {
		sub.Close()
		s.fanIn.remove(uid)
		return nil, err
	}
	st := &notificationStream{Streams: s, uid: uid, seen: newIDSet(4 * recentNotifications)}
	for _, id := range history {
		st.seen.add(id)
	}
	return drive(ctx, s, sub, st, func(d *driver[*ent.Notification]) { st.emit = d.emit }), nil
}

type notificationStream struct {
	*Streams
	uid  int
	seen *idSet // history at the start, and every id delivered since
	emit func(*ent.Notification) bool
}

func (st *notificationStream) start(context.Context) bool { return true }

func (st *notificationStream) lost(ctx context.Context) bool { return st.resync(ctx) }

func (st *notificationStream) stop() { st.fanIn.remove(st.uid) }

func (st *notificationStream) event(ctx context.Context, ev *pubsub.Event) bool {
	switch ev.Kind {
	case pubsub.KindNotification:
		if st.seen.has(ev.NotificationID) {
			return true
		}
		// The user's own notification; one reader, no fan-out.
		n, err := st.client.Notification.Get(ctx, ev.NotificationID)
		if err != nil {
			if ctx.Err() != nil {
				return false // the subscriber left: nothing to report
			}
			st.log.Warn("load notification", "err", err, "notification", ev.NotificationID)
			return true
		}
		return st.deliver(n)
	case pubsub.KindResync:
		return st.resync(ctx)
	case pubsub.KindRevoked:
		st.cfg.Report(ctx, revokedError())
		return false
	}
	return true
}

func (st *notificationStream) deliver(n *ent.Notification) bool {
	if !st.emit(n) {
		return false
	}
	st.seen.add(n.ID)
	return true
}

// resync sends the recent notifications the stream has not delivered.
func (st *notificationStream) resync(ctx context.Context) bool {
	if !st.acquire(ctx) {
		return false
	}
	ns, err := st.client.Notification.Query().
		Where(notification.RecipientID(st.uid)).
		Order(ent.Desc(notification.FieldID)).
		Limit(recentNotifications).
		All(ctx)
	st.release()
	if err != nil {
		if ctx.Err() == nil {
			st.log.Error("resync notifications", "err", err, "user", st.uid)
		}
		return ctx.Err() == nil
	}
	for i := len(ns) - 1; i >= 0; i-- { // oldest first
		if st.seen.has(ns[i].ID) {
			continue
		}
		if !st.deliver(ns[i]) {
			return false
		}
	}
	return true
}

// idSet remembers the last n ids added.
type idSet struct {
	ids  map[int]struct{}
	ring []int
	next int
}

func newIDSet(n int) *idSet { return &idSet{ids: make(map[int]struct{}, n), ring: make([]int, n)} }

func (s *idSet) has(id int) bool { _, ok := s.ids[id]; return ok }

func (s *idSet) add(id int) {
	if s.has(id) {
		return
	}
	if old := s.ring[s.next]; old != 0 {
		delete(s.ids, old)
	}
	s.ring[s.next] = id
	s.ids[id] = struct{}{}
	s.next = (s.next + 1) % len(s.ring)
}
