package live

import (
	"context"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/message"
	"pageinbox/internal/apierr"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
)

// TypingEvent says someone started or stopped typing in a thread.
type TypingEvent struct {
	Thread     *ent.Thread
	UserID     int // 0 when the typist is hidden from this subscriber
	SenderType message.SenderType
	Typing     bool
}

// DefaultTypingTTL is how long "typing" holds without a renewal.
const DefaultTypingTTL = 6 * time.Second

type typist struct {
	userID     int
	senderType string
}

// Typing streams who is typing in a thread to its other participants
// (rule 19). Nothing is stored: a typist who goes quiet for the TTL is
// reported as stopped by each stream on its own.
func (s *Streams) Typing(ctx context.Context, threadID int) (<-chan *TypingEvent, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, apierr.New(apierr.Unauthenticated, "sign in to subscribe")
	}
	th, err := s.client.Thread.Get(ctx, threadID)
	if err != nil {
		return nil, store.NotFound(err, "thread not found")
	}
	// Which staff member types for the page is shown to staff only, like
	// the sender of a page message.
	staff, err := rule.StaffIdentityVisible(ctx, th.PageID)
	if err != nil {
		return nil, err
	}
	me, _ := v.UserID()
	ttl := s.cfg.TypingTTL
	if ttl <= 0 {
		ttl = DefaultTypingTTL
	}
	sub := s.broker.Subscribe(append(controlTopics(v), pubsub.ThreadTopic(th.ID))...)
	st := &typingStream{Streams: s, th: th, staff: staff, me: me, ttl: ttl, timers: map[typist]*time.Timer{}}
	return drive(ctx, s, sub, st, func(d *driver[*TypingEvent]) { st.emit, st.inject = d.emit, d.inject }), nil
}

type typingStream struct {
	*Streams
	th     *ent.Thread
	staff  bool // the subscriber sees which staff member types
	me     int
	ttl    time.Duration
	emit   func(*TypingEvent) bool
	inject func(func() bool) // runs work on the stream's driver

	// timers are touched only by the driver (event, injected work, stop).
	timers map[typist]*time.Timer
}

func (st *typingStream) start(context.Context) bool { return true }

// lost: typing is ephemeral, nothing to catch up.
func (st *typingStream) lost(context.Context) bool { return true }

func (st *typingStream) stop() {
	for _, t := range st.timers {
		t.Stop()
	}
}

func (st *typingStream) send(who typist, typing bool) bool {
	e := &TypingEvent{Thread: st.th, UserID: who.userID, SenderType: message.SenderType(who.senderType), Typing: typing}
	if who.senderType == string(message.SenderTypePAGE) && !st.staff {
		e.UserID = 0
	}
	return st.emit(e)
}

func (st *typingStream) event(ctx context.Context, ev *pubsub.Event) bool {
	switch ev.Kind {
	case pubsub.KindTyping:
		who := typist{userID: ev.UserID, senderType: ev.SenderType}
		if st.me != 0 && who.userID == st.me {
			return true // your own typing is not news to you
		}
		if t := st.timers[who]; t != nil {
			t.Stop()
			delete(st.timers, who)
		}
		if ev.Typing {
			var t *time.Timer
			t = time.AfterFunc(st.ttl, func() {
				st.inject(func() bool {
					if st.timers[who] != t {
						return true // renewed or stopped meanwhile
					}
					delete(st.timers, who)
					return st.send(who, false)
				})
			})
			st.timers[who] = t
		}
		return st.send(who, ev.Typing)
	case pubsub.KindRevoked:
		st.cfg.Report(ctx, revokedError())
		return false
	case pubsub.KindAccess:
		fresh := viewer.NewContext(ctx, viewer.FromContext(ctx).Refresh())
		if ok, err := st.client.Thread.Query().Where(threadIs(st.th.ID)).Exist(fresh); err != nil || !ok {
			st.cfg.Report(ctx, toGQL(apierr.New(apierr.NotFound, "you no longer have access to this thread")))
			return false
		}
	}
	return true
}
