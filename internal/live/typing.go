package live

import (
	"context"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/message"
	"pageinbox/internal/apierr"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
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
	if ent.IsNotFound(err) {
		return nil, apierr.New(apierr.NotFound, "thread not found")
	}
	if err != nil {
		return nil, err
	}
	// Which staff member types for the page is shown to staff only, like
	// the sender of a page message.
	staff, err := rule.IsInboxStaff(ctx, th.PageID)
	if err != nil {
		return nil, err
	}
	me, _ := v.UserID()
	ttl := s.cfg.TypingTTL
	if ttl <= 0 {
		ttl = DefaultTypingTTL
	}
	sub := s.broker.Subscribe(append(controlTopics(v), pubsub.ThreadTopic(th.ID))...)
	out := make(chan *TypingEvent)
	go func() {
		defer close(out)
		defer sub.Close()
		timers := map[typist]*time.Timer{}
		expired := make(chan typist)
		defer func() {
			for _, t := range timers {
				t.Stop()
			}
		}()
		emit := func(who typist, typing bool) bool {
			e := &TypingEvent{Thread: th, UserID: who.userID, SenderType: message.SenderType(who.senderType), Typing: typing}
			if who.senderType == string(message.SenderTypePAGE) && !staff {
				e.UserID = 0
			}
			return send(ctx, out, e)
		}
		for {
			select {
			case <-ctx.Done():
				return
			case <-sub.Lost: // typing is ephemeral: nothing to catch up
			case who := <-expired:
				if _, active := timers[who]; active {
					delete(timers, who)
					if !emit(who, false) {
						return
					}
				}
			case ev := <-sub.C:
				switch ev.Kind {
				case pubsub.KindTyping:
					who := typist{userID: ev.UserID, senderType: ev.SenderType}
					if me != 0 && who.userID == me {
						continue // your own typing is not news to you
					}
					if t := timers[who]; t != nil {
						t.Stop()
						delete(timers, who)
					}
					if ev.Typing {
						timers[who] = time.AfterFunc(ttl, func() {
							select {
							case expired <- who:
							case <-ctx.Done():
							}
						})
					}
					if !emit(who, ev.Typing) {
						return
					}
				case pubsub.KindRevoked:
					s.cfg.Report(ctx, revokedError())
					return
				case pubsub.KindAccess:
					fresh := viewer.NewContext(ctx, v.Refresh())
					if ok, err := s.client.Thread.Query().Where(threadIs(th.ID)).Exist(fresh); err != nil || !ok {
						s.cfg.Report(ctx, toGQL(apierr.New(apierr.NotFound, "you no longer have access to this thread")))
						return
					}
				}
			}
		}
	}()
	return out, nil
}
