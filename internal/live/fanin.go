package live

import (
	"context"
	"sync"

	"pageinbox/ent/notification"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
)

// notificationFanIn expands KindNotifications events - one per group
// message, however many members it notified - into per-user events for
// this replica's notificationAdded streams. It runs only while this
// replica has such streams, and reads a message's notifications once for
// all of them.
type notificationFanIn struct {
	s *Streams

	mu    sync.Mutex
	users map[int]int   // user -> open notification streams
	stop  chan struct{} // non-nil while the expander runs
}

func newNotificationFanIn(s *Streams) *notificationFanIn {
	return &notificationFanIn{s: s, users: map[int]int{}}
}

// add registers a stream of uid. It subscribes the expander (starting it
// if needed) before returning, so every batch published afterwards
// reaches the stream.
func (f *notificationFanIn) add(uid int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[uid]++
	if f.stop == nil {
		f.stop = make(chan struct{})
		sub := f.s.broker.Watch(pubsub.NotificationsTopic())
		go f.run(sub, f.stop)
	}
}

// remove unregisters a stream; the last one stops the expander.
func (f *notificationFanIn) remove(uid int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.users[uid]--; f.users[uid] <= 0 {
		delete(f.users, uid)
	}
	if len(f.users) == 0 && f.stop != nil {
		close(f.stop)
		f.stop = nil
	}
}

func (f *notificationFanIn) run(sub *pubsub.Subscription, stop <-chan struct{}) {
	defer sub.Close()
	for {
		select {
		case <-stop:
			return
		case <-sub.Lost:
			// Batches may be lost: every local stream re-reads its
			// recent notifications.
			for _, uid := range f.snapshot() {
				f.s.broker.Local(pubsub.Event{Topic: pubsub.UserTopic(uid), Kind: pubsub.KindResync, UserID: uid})
			}
		case ev := <-sub.C:
			if ev.Kind == pubsub.KindNotifications {
				f.expand(ev)
			}
		}
	}
}

// snapshot lists the users with local streams.
func (f *notificationFanIn) snapshot() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]int, 0, len(f.users))
	for uid := range f.users {
		out = append(out, uid)
	}
	return out
}

// expand reads the message's notifications and hands each local
// recipient its own event; the stream loads it through the recipient's
// privacy rules as usual.
func (f *notificationFanIn) expand(ev *pubsub.Event) {
	// The server reads on behalf of the recipients; each stream then
	// reads its own notification as its viewer.
	ctx := rule.For(context.Background(), rule.EventDelivery)
	var rows []struct {
		ID          int `json:"id"`
		RecipientID int `json:"recipient_id"`
	}
	err := f.s.client.Notification.Query().
		Where(notification.MessageID(ev.MessageID)).
		Select(notification.FieldID, notification.FieldRecipientID).
		Scan(ctx, &rows)
	if err != nil {
		f.s.log.Error("expand notifications", "err", err, "message", ev.MessageID)
		for _, uid := range f.snapshot() {
			f.s.broker.Local(pubsub.Event{Topic: pubsub.UserTopic(uid), Kind: pubsub.KindResync, UserID: uid})
		}
		return
	}
	local := make(map[int]bool)
	for _, uid := range f.snapshot() {
		local[uid] = true
	}
	for _, r := range rows {
		if local[r.RecipientID] {
			f.s.broker.Local(pubsub.Event{Topic: pubsub.UserTopic(r.RecipientID), Kind: pubsub.KindNotification,
				NotificationID: r.ID, UserID: r.RecipientID, ThreadID: ev.ThreadID})
		}
	}
}
