package live

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/page"
	"pageinbox/ent/thread"
	"pageinbox/internal/apierr"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
)

// InboxKind is the contract's InboxEventKind.
type InboxKind string

// MarshalGQL writes the kind as a GraphQL enum value.
func (k InboxKind) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(k))) }

// UnmarshalGQL reads a GraphQL enum value.
func (k *InboxKind) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("%v is not an InboxEventKind", v)
	}
	*k = InboxKind(s)
	return nil
}

// InboxEvent is one change of a page's inbox.
type InboxEvent struct {
	Kind    InboxKind
	Thread  *ent.Thread
	Message *ent.Message
	// Note is the note of a NOTE_ADDED event (staff streams only).
	Note *ent.Note
}

// resyncLimit bounds how many threads a resynchronisation re-announces.
const resyncLimit = 200

// Inbox streams a page's inbox changes to its ADMIN and MODERATOR staff
// (and READ_THREADS tokens). Inbox events are not stored, so a stream that
// may have lost events re-announces every thread changed since its last
// event as THREAD_UPDATED: clients refresh those rows and miss nothing.
func (s *Streams) Inbox(ctx context.Context, pageID int) (<-chan *InboxEvent, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, apierr.New(apierr.Unauthenticated, "sign in to subscribe")
	}
	ok, err := rule.InboxVisible(ctx, pageID)
	if err != nil {
		return nil, err
	}
	if !ok {
		exists, err := s.client.Page.Query().Where(page.ID(pageID)).Exist(ctx)
		if err != nil {
			return nil, err
		}
		if !exists {
			return nil, apierr.New(apierr.NotFound, "page not found")
		}
		return nil, apierr.New(apierr.Forbidden, "only the page's ADMIN and MODERATOR staff see its inbox")
	}
	sub := s.broker.Subscribe(append(controlTopics(v), pubsub.PageTopic(pageID))...)
	st := &inboxStream{Streams: s, pageID: pageID, since: s.cfg.Clock.Now()}
	return drive(ctx, s, sub, st, func(d *driver[*InboxEvent]) { st.emit = d.emit }), nil
}

type inboxStream struct {
	*Streams
	pageID int
	since  time.Time // threads changed after this were announced
	emit   func(*InboxEvent) bool
}

func (st *inboxStream) start(context.Context) bool { return true }

func (st *inboxStream) lost(ctx context.Context) bool { return st.resync(ctx) }

func (st *inboxStream) stop() {}

func (st *inboxStream) event(ctx context.Context, ev *pubsub.Event) bool {
	switch ev.Kind {
	case pubsub.KindInbox:
		e, err := st.load(ctx, ev)
		if err != nil {
			if ctx.Err() != nil {
				return false // the subscriber left: nothing to report
			}
			st.log.Warn("load inbox event", "err", err, "thread", ev.ThreadID)
			return st.resync(ctx)
		}
		if !st.emit(e) {
			return false
		}
		if e.Thread.UpdatedAt.After(st.since) {
			st.since = e.Thread.UpdatedAt
		}
		return true
	case pubsub.KindRevoked:
		st.cfg.Report(ctx, revokedError())
		return false
	case pubsub.KindAccess:
		fresh := viewer.NewContext(ctx, viewer.FromContext(ctx).Refresh())
		if ok, err := rule.InboxVisible(fresh, st.pageID); err != nil || !ok {
			st.cfg.Report(ctx, toGQL(apierr.New(apierr.Forbidden, "you are no longer inbox staff of this page")))
			return false
		}
	}
	return true
}

// load reads the event's thread and message, once for all the page's
// local staff streams that received the same event. The subscriber was
// checked to be inbox staff of the page, which sees every thread of the
// page, so every one of them may share the result.
func (st *inboxStream) load(ctx context.Context, ev *pubsub.Event) (*InboxEvent, error) {
	return st.inboxLoads.load(ev, func() (*InboxEvent, error) {
		ctx := rule.For(context.WithoutCancel(ctx), rule.EventDelivery) // serves every waiting stream
		e := &InboxEvent{Kind: InboxKind(ev.InboxKind)}
		// The message is read beside the thread, not after it: every
		// subscriber of a fan-out waits for both.
		var (
			reading sync.WaitGroup
			msgErr  error
		)
		switch {
		case ev.MessageID != 0 && ev.InboxKind == "MESSAGE_UPDATED":
			// The cached version is the one before the change.
			st.loader.forget(ev.MessageID)
			reading.Go(func() { e.Message, msgErr = st.client.Message.Get(ctx, ev.MessageID) })
		case ev.MessageID != 0:
			reading.Go(func() { e.Message, msgErr = st.loader.load(ctx, ev.MessageID) })
		}
		th, err := st.client.Thread.Get(ctx, ev.ThreadID)
		reading.Wait()
		if err != nil {
			return nil, err
		}
		if msgErr != nil {
			return nil, msgErr
		}
		e.Thread = th
		if ev.NoteID != 0 {
			// Inbox staff read the page's notes (rule.FilterNotes).
			if e.Note, err = st.client.Note.Get(ctx, ev.NoteID); err != nil {
				return nil, err
			}
		}
		return e, nil
	})
}

// resync re-announces the threads changed since the last event.
func (st *inboxStream) resync(ctx context.Context) bool {
	if !st.acquire(ctx) {
		return false
	}
	ths, err := st.client.Thread.Query().
		Where(thread.PageID(st.pageID), thread.UpdatedAtGTE(st.since)).
		Order(ent.Asc(thread.FieldUpdatedAt), ent.Asc(thread.FieldID)).
		Limit(resyncLimit).
		All(ctx)
	st.release()
	if err != nil {
		if ctx.Err() == nil {
			st.log.Error("resync inbox", "err", err, "page", st.pageID)
		}
		return ctx.Err() == nil
	}
	for _, th := range ths {
		if !st.emit(&InboxEvent{Kind: InboxKind("THREAD_UPDATED"), Thread: th}) {
			return false
		}
		if th.UpdatedAt.After(st.since) {
			st.since = th.UpdatedAt
		}
	}
	return true
}
