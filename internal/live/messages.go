package live

import (
	"context"

	"pageinbox/ent"
	"pageinbox/ent/message"
	"pageinbox/ent/predicate"
	"pageinbox/ent/thread"
	"pageinbox/internal/apierr"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
)

// catchUpPage is how many messages one catch-up query reads.
const catchUpPage = 100

// Messages streams a thread's new messages to one of its participants
// (messageAdded). With after set it first replays every message with a
// larger seq; then it follows live events. Seq makes it exact: the stream
// delivers after+1, after+2, ... and nothing twice.
func (s *Streams) Messages(ctx context.Context, threadID int, after *int) (<-chan *ent.Message, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, apierr.New(apierr.Unauthenticated, "sign in to subscribe")
	}
	if after != nil && *after < 0 {
		return nil, apierr.New(apierr.BadUserInput, "after must be >= 0")
	}
	th, err := s.client.Thread.Get(ctx, threadID)
	if err != nil {
		return nil, store.NotFound(err, "thread not found")
	}
	// The seq is read before subscribing and the stream catches up once
	// subscribed: a message committed in between is read from the database,
	// one committed later arrives as an event, and none is missed.
	sub := s.broker.Subscribe(append(controlTopics(v), pubsub.ThreadTopic(threadID))...)
	st := &messageStream{Streams: s, threadID: th.ID, last: th.LastSeq}
	if after != nil {
		st.last = *after
	}
	return drive(ctx, s, sub, st, func(d *driver[*ent.Message]) { st.emit = d.emit }), nil
}

type messageStream struct {
	*Streams
	threadID int
	last     int // seq of the last message delivered (or skipped as old)
	emit     func(*ent.Message) bool
}

// start replays what the subscriber asked for (and anything committed
// between reading the thread and subscribing).
func (st *messageStream) start(ctx context.Context) bool { return st.catchUp(ctx) }

func (st *messageStream) lost(ctx context.Context) bool { return st.catchUp(ctx) }

func (st *messageStream) stop() {}

// event processes one event; false ends the stream.
func (st *messageStream) event(ctx context.Context, ev *pubsub.Event) bool {
	switch ev.Kind {
	case pubsub.KindMessage:
		switch {
		case ev.Seq <= st.last:
			return true // already delivered (replay, resync or a late event)
		case ev.Seq > st.last+1:
			return st.catchUp(ctx) // an earlier event is late or lost
		}
		m, err := st.loader.load(ctx, ev.MessageID)
		if err != nil {
			if ctx.Err() != nil {
				return false // the subscriber left: nothing to report
			}
			st.log.Warn("load message for subscribers", "err", err, "message", ev.MessageID)
			return st.catchUp(ctx)
		}
		if !st.emit(m) {
			return false
		}
		st.last = m.Seq
		return true
	case pubsub.KindRevoked:
		st.cfg.Report(ctx, revokedError())
		return false
	case pubsub.KindAccess, pubsub.KindThreadAccess:
		return st.stillVisible(ctx)
	}
	return true
}

// stillVisible re-checks, with freshly loaded roles, that the viewer may
// still see the thread; a removed staff member's stream ends.
func (st *messageStream) stillVisible(ctx context.Context) bool {
	fresh := viewer.NewContext(ctx, viewer.FromContext(ctx).Refresh())
	ok, err := st.client.Thread.Query().Where(threadIs(st.threadID)).Exist(fresh)
	if err == nil && ok {
		return true
	}
	st.cfg.Report(ctx, toGQL(apierr.New(apierr.NotFound, "you no longer have access to this thread")))
	return false
}

// catchUp delivers every stored message after st.last, in seq order. It
// reads through the viewer's privacy rules, so access is re-checked too.
func (st *messageStream) catchUp(ctx context.Context) bool {
	for {
		ms, err := st.nextPage(ctx)
		if err != nil {
			if ctx.Err() == nil {
				st.log.Error("catch up messages", "err", err, "thread", st.threadID)
			}
			return ctx.Err() == nil
		}
		for _, m := range ms {
			if !st.emit(m) {
				return false
			}
			st.last = m.Seq
		}
		if len(ms) < catchUpPage {
			return true
		}
	}
}

// nextPage reads the next messages after st.last, holding a catch-up slot
// only for the query (not while a slow reader drains them).
func (st *messageStream) nextPage(ctx context.Context) ([]*ent.Message, error) {
	if !st.acquire(ctx) {
		return nil, ctx.Err()
	}
	defer st.release()
	return st.client.Message.Query().
		Where(message.ThreadID(st.threadID), message.SeqGT(st.last)).
		Order(ent.Asc(message.FieldSeq)).
		Limit(catchUpPage).
		All(ctx)
}

func threadIs(id int) predicate.Thread { return thread.ID(id) }
