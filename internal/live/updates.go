package live

import (
	"context"

	"pageinbox/ent"
	"pageinbox/internal/apierr"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
)

// MessageUpdates streams the edits, unsends and reaction changes of a
// thread's messages to its participants (messageUpdated, rule 37). Each
// event carries the message as it is now, so a missed event is repaired
// by the next one about the same message or by reading the thread; the
// stream does not replay.
func (s *Streams) MessageUpdates(ctx context.Context, threadID int) (<-chan *ent.Message, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, apierr.New(apierr.Unauthenticated, "sign in to subscribe")
	}
	th, err := s.client.Thread.Get(ctx, threadID)
	if err != nil {
		if ent.IsNotFound(err) {
			return nil, apierr.New(apierr.NotFound, "thread not found")
		}
		return nil, err
	}
	sub := s.broker.Subscribe(append(controlTopics(v), pubsub.ThreadTopic(th.ID))...)
	st := &updateStream{Streams: s, threadID: th.ID}
	return drive(ctx, s, sub, st, func(d *driver[*ent.Message]) { st.emit = d.emit }), nil
}

type updateStream struct {
	*Streams
	threadID int
	emit     func(*ent.Message) bool
}

func (st *updateStream) start(context.Context) bool { return true }

// lost: updates are states, not steps; the next one is complete.
func (st *updateStream) lost(context.Context) bool { return true }

func (st *updateStream) stop() {}

func (st *updateStream) event(ctx context.Context, ev *pubsub.Event) bool {
	switch ev.Kind {
	case pubsub.KindMessageUpdated:
		// messageAdded's short cache must not serve the old version.
		st.loader.forget(ev.MessageID)
		m, err := st.updateLoads.load(ev, func() (*ent.Message, error) {
			// Read once for every local participant of the thread, who
			// were authorized for it when their stream started.
			return st.client.Message.Get(rule.For(context.WithoutCancel(ctx), rule.EventDelivery), ev.MessageID)
		})
		if err != nil {
			st.log.Warn("load updated message", "err", err, "message", ev.MessageID)
			return true
		}
		return st.emit(m)
	case pubsub.KindRevoked:
		st.cfg.Report(ctx, revokedError())
		return false
	case pubsub.KindAccess, pubsub.KindThreadAccess:
		fresh := viewer.NewContext(ctx, viewer.FromContext(ctx).Refresh())
		if ok, err := st.client.Thread.Query().Where(threadIs(st.threadID)).Exist(fresh); err != nil || !ok {
			st.cfg.Report(ctx, toGQL(apierr.New(apierr.NotFound, "you no longer have access to this thread")))
			return false
		}
	}
	return true
}
