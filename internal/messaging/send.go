// Package messaging is the send path: every message - a visitor's, a page's
// reply, an away message - is checked, numbered and stored here, with its
// notifications, in one transaction, and announced after the commit.
//
// Numbering: the thread row is locked (SELECT ... FOR UPDATE on PostgreSQL;
// SQLite transactions take the write lock at BEGIN), the message takes
// last_seq+1 and the thread's last_seq moves with it. Concurrent senders
// queue on the row, so seq is 1, 2, 3... with no gaps, and a rolled-back
// send leaves no hole because the counter rolls back with it.
package messaging

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/message"
	"pageinbox/ent/pagemembership"
	"pageinbox/ent/schema/schematype"
	"pageinbox/ent/thread"
	"pageinbox/internal/apierr"
	"pageinbox/internal/clock"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
)

// Config holds deployment settings of the send path.
type Config struct {
	// ReplyWindow, when positive, is how long after the visitor's last
	// message the page may still answer (rule 5).
	ReplyWindow time.Duration
}

// Service sends messages.
type Service struct {
	client   *ent.Client
	postgres bool
	clock    clock.Clock
	pub      pubsub.Publisher
	cfg      Config
	log      *slog.Logger
}

// New returns the send path.
func New(client *ent.Client, postgres bool, clk clock.Clock, pub pubsub.Publisher, cfg Config, log *slog.Logger) *Service {
	return &Service{client: client, postgres: postgres, clock: clk, pub: pub, cfg: cfg, log: log}
}

// Result is a stored message and its thread after the send.
type Result struct {
	Message *ent.Message
	Thread  *ent.Thread
}

// idempotencyWindow is how long a clientMessageId dedupes (rule 8).
const idempotencyWindow = 24 * time.Hour

// SendToPage is a visitor's message to a page (rule 4): the first one
// creates the DIRECT thread, later ones reuse it.
func (s *Service) SendToPage(ctx context.Context, pageID int, d Draft) (*Result, error) {
	uid, err := rule.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	atts, err := d.validate()
	if err != nil {
		return nil, err
	}
	return s.sendWithRetry(ctx, func(ctx context.Context, tx *ent.Tx, batch *pubsub.Batch) (*Result, error) {
		p, err := tx.Page.Get(ctx, pageID)
		if ent.IsNotFound(err) {
			return nil, apierr.New(apierr.NotFound, "page not found")
		}
		if err != nil {
			return nil, err
		}
		blocks, err := s.blocks(ctx, tx.Client(), pageID, uid)
		if err != nil {
			return nil, err
		}
		write, err := rule.VisitorMayWrite(Settings(p), blocks, s.clock.Now())
		if err != nil {
			return nil, err
		}
		ctx = rule.AuthorizeSend(ctx, rule.SideVisitor)
		th, created, err := s.lockDirectThread(ctx, tx, pageID, uid)
		if err != nil {
			return nil, err
		}
		return s.deliver(ctx, tx, batch, th, sender{side: rule.SideVisitor, userID: uid, key: userKey(uid)}, d, atts, delivery{
			page: p, created: created, sendAway: write.SendAway,
		})
	})
}

// Send adds a message to an existing thread as whoever the viewer is in it:
// its visitor, a group member, or the page (staff or an API token).
func (s *Service) Send(ctx context.Context, threadID int, d Draft) (*Result, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, apierr.New(apierr.Unauthenticated, "sign in first")
	}
	atts, err := d.validate()
	if err != nil {
		return nil, err
	}
	return s.sendWithRetry(ctx, func(ctx context.Context, tx *ent.Tx, batch *pubsub.Batch) (*Result, error) {
		th, err := s.lockThread(ctx, tx, threadID)
		if err != nil {
			return nil, err
		}
		snd, err := s.senderIn(ctx, th)
		if err != nil {
			return nil, err
		}
		var dl delivery
		switch snd.side {
		case rule.SideVisitor:
			p, err := tx.Page.Get(ctx, th.PageID)
			if err != nil {
				return nil, err
			}
			blocks, err := s.blocks(ctx, tx.Client(), th.PageID, snd.userID)
			if err != nil {
				return nil, err
			}
			write, err := rule.VisitorMayWrite(Settings(p), blocks, s.clock.Now())
			if err != nil {
				return nil, err
			}
			dl = delivery{page: p, sendAway: write.SendAway}
		case rule.SidePage:
			st, err := s.threadState(ctx, tx.Client(), th)
			if err != nil {
				return nil, err
			}
			if err := rule.PageMayReply(st, s.clock.Now(), s.cfg.ReplyWindow); err != nil {
				return nil, err
			}
		}
		ctx = rule.AuthorizeSend(ctx, snd.side)
		return s.deliver(ctx, tx, batch, th, snd, d, atts, dl)
	})
}

// sendWithRetry runs one send transaction. A unique-index conflict means a
// concurrent send with the same clientMessageId (or the same new thread)
// won the race; the retry then finds its result instead of duplicating it.
func (s *Service) sendWithRetry(ctx context.Context, fn func(context.Context, *ent.Tx, *pubsub.Batch) (*Result, error)) (*Result, error) {
	var res *Result
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
			batch := pubsub.AfterCommit(tx, s.pub, s.log)
			r, err := fn(ctx, tx, batch)
			res = r
			return err
		})
		if !ent.IsConstraintError(err) {
			break
		}
	}
	if ent.IsConstraintError(err) {
		return nil, apierr.New(apierr.Conflict, "a concurrent request changed this thread; try again")
	}
	if err != nil {
		return nil, err
	}
	// The entities were read inside the transaction; bind them to the
	// client again so the response can load their edges.
	return &Result{Message: res.Message.Unwrap(), Thread: res.Thread.Unwrap()}, nil
}

// sender is who writes a message, as stored.
type sender struct {
	side    rule.Side
	userID  int // 0 for a page API token
	tokenID int
	key     string // idempotency namespace
}

func userKey(uid int) string  { return "u" + strconv.Itoa(uid) }
func tokenKey(tid int) string { return "t" + strconv.Itoa(tid) }

// senderIn works out which side of the thread the viewer writes on.
func (s *Service) senderIn(ctx context.Context, th *ent.Thread) (sender, error) {
	v := viewer.FromContext(ctx)
	if t, ok := v.Token(); ok {
		if !v.HasScope(th.PageID, viewer.ScopeSendMessages) {
			return sender{}, apierr.New(apierr.Forbidden, "this API token lacks the SEND_MESSAGES scope")
		}
		return sender{side: rule.SidePage, tokenID: t.ID, key: tokenKey(t.ID)}, nil
	}
	uid, _ := v.UserID()
	if th.Kind == thread.KindDIRECT && th.VisitorID != nil && *th.VisitorID == uid {
		return sender{side: rule.SideVisitor, userID: uid, key: userKey(uid)}, nil
	}
	role, ok, err := v.Role(ctx, th.PageID)
	if err != nil {
		return sender{}, err
	}
	if ok && role.HandlesMessages() {
		return sender{side: rule.SidePage, userID: uid, key: userKey(uid)}, nil
	}
	return sender{}, apierr.New(apierr.Forbidden, "you cannot write in this thread")
}

// lockThread loads a thread the viewer may write in and locks its row.
func (s *Service) lockThread(ctx context.Context, tx *ent.Tx, id int) (*ent.Thread, error) {
	th, err := s.forUpdate(tx.Thread.Query().Where(thread.ID(id))).Only(ctx)
	if ent.IsNotFound(err) {
		// A token that may send but not read cannot see threads; it may
		// still answer the page's own threads.
		v := viewer.FromContext(ctx)
		if t, ok := v.Token(); ok && v.HasScope(t.PageID, viewer.ScopeSendMessages) {
			th, err = s.forUpdate(tx.Thread.Query().Where(thread.ID(id), thread.PageID(t.PageID))).
				Only(rule.System(ctx)) // scope checked just above
		}
	}
	if ent.IsNotFound(err) {
		return nil, apierr.New(apierr.NotFound, "thread not found")
	}
	return th, err
}

func (s *Service) forUpdate(q *ent.ThreadQuery) *ent.ThreadQuery {
	if s.postgres {
		return q.ForUpdate()
	}
	return q // SQLite: the transaction already holds the database's write lock
}

// lockDirectThread finds or creates the (page, visitor) thread and locks it.
// Two first messages racing both insert with ON CONFLICT DO NOTHING; the
// loser waits on the winner's row and then reuses it.
func (s *Service) lockDirectThread(ctx context.Context, tx *ent.Tx, pageID, visitorID int) (*ent.Thread, bool, error) {
	q := func() (*ent.Thread, error) {
		return s.forUpdate(tx.Thread.Query().Where(thread.PageID(pageID), thread.VisitorID(visitorID))).Only(ctx)
	}
	th, err := q()
	if err == nil {
		return th, th.LastSeq == 0, nil
	}
	if !ent.IsNotFound(err) {
		return nil, false, err
	}
	now := s.clock.Now()
	err = tx.Thread.Create().
		SetKind(thread.KindDIRECT).
		SetPageID(pageID).
		SetVisitorID(visitorID).
		SetCreatedAt(now).
		SetLastMessageAt(now).
		SetUpdatedAt(now).
		OnConflictColumns(thread.FieldPageID, thread.FieldVisitorID).
		DoNothing().
		Exec(ctx)
	if err != nil && !errors.Is(err, sql.ErrNoRows) && !ent.IsNotFound(err) {
		return nil, false, fmt.Errorf("messaging: create thread: %w", err)
	}
	th, err = q()
	if err != nil {
		return nil, false, err
	}
	return th, th.LastSeq == 0, nil
}

// delivery carries what the send path learnt about the target.
type delivery struct {
	page     *ent.Page // loaded for visitor sends
	created  bool      // the thread was created by this send
	sendAway bool      // the page is closed and answers with its away message
}

// deliver stores a checked message (or returns the earlier one with the same
// clientMessageId), updates the thread, notifies and queues the events.
func (s *Service) deliver(ctx context.Context, tx *ent.Tx, batch *pubsub.Batch, th *ent.Thread, snd sender, d Draft, atts []schematype.Attachment, dl delivery) (*Result, error) {
	if d.ClientMessageID != nil {
		if res, err := s.earlier(ctx, tx, snd.key, *d.ClientMessageID); res != nil || err != nil {
			return res, err
		}
	}
	m, th, err := s.appendMessage(ctx, tx, batch, th, newMessage{
		sender: snd, body: d.Body, atts: atts, clientID: d.ClientMessageID,
	})
	if err != nil {
		return nil, err
	}
	if dl.created {
		batch.Add(pubsub.Event{Topic: pubsub.PageTopic(th.PageID), Kind: pubsub.KindInbox,
			InboxKind: InboxThreadCreated, ThreadID: th.ID, PageID: th.PageID})
	}
	// Events in the order subscribers should see them.
	batch.Add(
		pubsub.Event{Topic: pubsub.ThreadTopic(th.ID), Kind: pubsub.KindMessage, ThreadID: th.ID, MessageID: m.ID, Seq: m.Seq},
		pubsub.Event{Topic: pubsub.PageTopic(th.PageID), Kind: pubsub.KindInbox, InboxKind: InboxMessageAdded,
			ThreadID: th.ID, MessageID: m.ID, PageID: th.PageID},
	)
	if err := s.notify(ctx, tx, batch, th, m, snd); err != nil {
		return nil, err
	}
	res := &Result{Message: m, Thread: th}
	if dl.sendAway && !th.AwaySent && dl.page != nil && dl.page.AwayMessage != nil {
		if _, th, err = s.appendMessage(ctx, tx, batch, th, newMessage{
			sender: sender{side: sideSystem}, body: *dl.page.AwayMessage,
		}); err != nil {
			return nil, err
		}
		res.Thread = th
	}
	return res, nil
}

// earlier returns the message a sender already sent with this
// clientMessageId in the last 24 hours (rule 8). An older use of the key is
// released so the key may be used again.
func (s *Service) earlier(ctx context.Context, tx *ent.Tx, key, clientID string) (*Result, error) {
	// The dedup lookup is the server's bookkeeping on the sender's own key;
	// the message found is the sender's own.
	sys := rule.System(ctx)
	m, err := tx.Message.Query().
		Where(message.SenderKey(key), message.ClientMessageID(clientID)).
		WithThread().
		Only(sys)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if s.clock.Now().Sub(m.CreatedAt) < idempotencyWindow {
		return &Result{Message: m, Thread: m.Edges.Thread}, nil
	}
	if err := tx.Message.UpdateOneID(m.ID).ClearSenderKey().Exec(sys); err != nil {
		return nil, err
	}
	return nil, nil
}

// sideSystem marks automatic messages (the away message).
const sideSystem rule.Side = -1

type newMessage struct {
	sender   sender
	body     string
	atts     []schematype.Attachment
	clientID *string
}

// appendMessage numbers and stores one message and moves the thread's
// counters. The thread row is locked by the caller.
func (s *Service) appendMessage(ctx context.Context, tx *ent.Tx, batch *pubsub.Batch, th *ent.Thread, nm newMessage) (*ent.Message, *ent.Thread, error) {
	now := s.clock.Now()
	seq := th.LastSeq + 1
	create := tx.Message.Create().
		SetThreadID(th.ID).
		SetSeq(seq).
		SetBody(nm.body).
		SetAttachments(nonNil(nm.atts)).
		SetNillableClientMessageID(nm.clientID).
		SetCreatedAt(now)
	if nm.clientID != nil {
		create.SetSenderKey(nm.sender.key)
	}
	if nm.sender.userID != 0 {
		create.SetSenderID(nm.sender.userID)
	}
	upd := tx.Thread.UpdateOneID(th.ID).
		SetLastSeq(seq).
		SetLastMessageAt(now).
		SetUpdatedAt(now).
		SetSnippet(snippet(nm.body, nm.atts))
	switch nm.sender.side {
	case rule.SideVisitor:
		create.SetSenderType(message.SenderTypeVISITOR)
		// Writing implies having read the thread.
		upd.SetLastVisitorMessageAt(now).
			SetAwaitingVisitor(false).
			AddPageUnread(1).
			SetVisitorUnread(0).
			SetVisitorReadSeq(seq).
			SetVisitorLastReadAt(now)
		if th.Status == thread.StatusDONE {
			upd.SetStatus(thread.StatusOPEN) // rule 15: a new visitor message reopens
		}
	case rule.SidePage:
		create.SetSenderType(message.SenderTypePAGE).SetPageID(th.PageID)
		upd.AddVisitorUnread(1).
			SetPageUnread(0).
			SetPageReadSeq(seq).
			SetPageLastReadAt(now).
			SetAwaySent(false) // a human answer ends the visitor's burst
	case sideSystem:
		create.SetSenderType(message.SenderTypeSYSTEM).SetPageID(th.PageID)
		upd.AddVisitorUnread(1).SetAwaySent(true)
	default:
		return nil, nil, fmt.Errorf("messaging: unknown side %d", nm.sender.side)
	}
	m, err := create.Save(ctx)
	if err != nil {
		return nil, nil, err
	}
	th, err = upd.SetLastMessageID(m.ID).Save(ctx)
	if err != nil {
		return nil, nil, err
	}
	if nm.sender.side == sideSystem {
		batch.Add(
			pubsub.Event{Topic: pubsub.ThreadTopic(th.ID), Kind: pubsub.KindMessage, ThreadID: th.ID, MessageID: m.ID, Seq: m.Seq},
			pubsub.Event{Topic: pubsub.PageTopic(th.PageID), Kind: pubsub.KindInbox, InboxKind: InboxMessageAdded,
				ThreadID: th.ID, MessageID: m.ID, PageID: th.PageID},
		)
	}
	return m, th, nil
}

func nonNil(a []schematype.Attachment) []schematype.Attachment {
	if a == nil {
		return []schematype.Attachment{}
	}
	return a
}

// inboxStaff returns the ADMIN and MODERATOR users of a page.
func (s *Service) inboxStaff(ctx context.Context, tx *ent.Tx, pageID int) ([]int, error) {
	// Recipients are looked up by the server, whoever the sender is.
	return tx.PageMembership.Query().
		Where(pagemembership.PageID(pageID), pagemembership.RoleIn(viewer.RoleAdmin, viewer.RoleModerator)).
		Select(pagemembership.FieldUserID).
		Ints(rule.System(ctx))
}

// threadState gathers what rule.PageMayReply needs.
func (s *Service) threadState(ctx context.Context, c *ent.Client, th *ent.Thread) (rule.ThreadState, error) {
	st := rule.ThreadState{LastVisitorMessageAt: th.LastVisitorMessageAt, AwaitingVisitor: th.AwaitingVisitor}
	if th.VisitorID != nil {
		b, err := s.blocks(ctx, c, th.PageID, *th.VisitorID)
		if err != nil {
			return st, err
		}
		st.UserBlockedPage = b.UserBlockedPage
	}
	return st, nil
}

// Settings extracts rule 12's inputs from a page.
func Settings(p *ent.Page) rule.PageSettings {
	return rule.PageSettings{
		MessagingEnabled: p.MessagingEnabled,
		AwayMessage:      p.AwayMessage,
		TimeZone:         p.TimeZone,
		Availability:     p.Availability,
	}
}
