package messaging

import (
	"context"
	"strconv"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/message"
	"pageinbox/ent/schema/schematype"
	"pageinbox/ent/thread"
	"pageinbox/internal/apierr"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
	"pageinbox/internal/webhook"
)

// idempotencyWindow is how long a clientMessageId dedupes (rule 8).
const idempotencyWindow = 24 * time.Hour

// SendToPage is a visitor's message to a page (rule 4): the first one
// creates the DIRECT thread, later ones reuse it. With AdID the message
// keeps a snapshot of the ad (rule 9).
func (s *Service) SendToPage(ctx context.Context, pageID int, d Draft) (*Result, error) {
	uid, err := rule.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if d.SavedReplyID != nil {
		return nil, apierr.New(apierr.BadUserInput, "saved replies are sent by the page's staff, with sendMessage")
	}
	if err := d.validate(); err != nil {
		return nil, err
	}
	return s.sendDraft(ctx, d, func(ctx context.Context, tx *ent.Tx, batch *pubsub.Batch, atts []schematype.Attachment) (*Result, error) {
		// Usually the thread exists: one statement locks it and reads the
		// page's facts. A first message reads the facts, then creates it.
		th, facts, err := s.lockDirectThread(ctx, tx, pageID, uid)
		if ent.IsNotFound(err) { // th is nil: the thread is created below
			facts, err = s.loadPageFacts(ctx, tx, pageID, uid)
		}
		if err != nil {
			return nil, err
		}
		write, err := rule.VisitorMayWrite(facts.settings, facts.blocks, s.clock.Now())
		if err != nil {
			return nil, err
		}
		ref, err := s.adReferral(ctx, tx, pageID, d.AdID)
		if err != nil {
			return nil, err
		}
		created := th != nil && th.LastSeq == 0
		if th == nil {
			if err := s.admitNewThread(ctx, tx, uid); err != nil {
				return nil, err
			}
			if th, created, err = s.createDirectThread(rule.AuthorizeDirectThread(ctx, pageID, uid), tx, pageID, uid); err != nil {
				return nil, err
			}
		}
		ctx = rule.AuthorizeSend(ctx, rule.SideVisitor, th.ID)
		nm := newMessage{sender: sender{side: rule.SideVisitor, userID: uid, key: userKey(uid)},
			body: d.Body, atts: atts, clientID: d.ClientMessageID, referral: ref, replyTo: d.ReplyToID,
			inboxStaff: facts.inboxStaff, manyStaff: facts.manyStaff}
		return s.deliver(ctx, tx, batch, th, nm, delivery{away: facts.settings.AwayMessage, created: created, sendAway: write.SendAway})
	})
}

// Send adds a message to an existing thread as whoever the viewer is in it:
// its visitor, a group member, or the page (staff or an API token).
func (s *Service) Send(ctx context.Context, threadID int, d Draft) (*Result, error) {
	if viewer.FromContext(ctx) == nil {
		return nil, apierr.New(apierr.Unauthenticated, "sign in first")
	}
	if d.AdID != nil {
		return nil, apierr.New(apierr.BadUserInput, "adId belongs to sendMessageToPage")
	}
	if err := d.validateAttachments(); err != nil {
		return nil, err
	}
	if d.SavedReplyID == nil {
		if err := validateBody(d.Body, len(d.Attachments) > 0); err != nil {
			return nil, err // fail fast, before storing files or taking locks
		}
	}
	// The thread is read through the privacy filter inside the
	// transaction: load the roles it needs first (see store.InTx).
	if _, err := viewer.FromContext(ctx).Roles(ctx); err != nil {
		return nil, err
	}
	return s.sendDraft(ctx, d, func(ctx context.Context, tx *ent.Tx, batch *pubsub.Batch, atts []schematype.Attachment) (*Result, error) {
		th, facts, err := s.lockThread(ctx, tx, threadID)
		if err != nil {
			return nil, err
		}
		snd, err := s.senderIn(ctx, tx.Client(), th)
		if err != nil {
			return nil, err
		}
		if d.SavedReplyID != nil {
			if d, err = s.withSavedReply(ctx, tx, th, snd, d); err != nil {
				return nil, err
			}
			if err := validateBody(d.Body, len(atts) > 0); err != nil {
				return nil, err
			}
		}
		var dl delivery
		switch snd.side {
		case rule.SideVisitor:
			write, err := rule.VisitorMayWrite(facts.settings, facts.blocks, s.clock.Now())
			if err != nil {
				return nil, err
			}
			dl = delivery{away: facts.settings.AwayMessage, sendAway: write.SendAway}
		case rule.SidePage:
			if th.Kind == thread.KindDIRECT {
				st := rule.ThreadState{LastVisitorMessageAt: th.LastVisitorMessageAt, AwaitingVisitor: th.AwaitingVisitor,
					UserBlockedPage: facts.blocks.UserBlockedPage}
				if err := rule.PageMayReply(st, s.clock.Now(), s.cfg.ReplyWindow); err != nil {
					return nil, err
				}
			}
		case rule.SideMember:
			if err := rule.MemberMayWrite(facts.blocks); err != nil {
				return nil, err
			}
		}
		ctx = rule.AuthorizeSend(ctx, snd.side, th.ID)
		nm := newMessage{sender: snd, body: d.Body, atts: atts, clientID: d.ClientMessageID,
			replyTo: d.ReplyToID, expectedLastSeq: d.ExpectedLastSeq,
			inboxStaff: facts.inboxStaff, manyStaff: facts.manyStaff}
		if snd.member != nil && !snd.member.HasPosted && th.PostID != nil {
			nm.referral = &referral{source: message.ReferralSourcePOST, postID: th.PostID}
		}
		return s.deliver(ctx, tx, batch, th, nm, dl)
	})
}

// sender is who writes a message, as stored.
type sender struct {
	side    rule.Side
	userID  int // 0 for a page API token and for SYSTEM messages
	tokenID int
	key     string           // idempotency namespace
	member  *ent.GroupMember // group chats: the sender's membership
}

func userKey(uid int) string  { return "u" + strconv.Itoa(uid) }
func tokenKey(tid int) string { return "t" + strconv.Itoa(tid) }

// senderIn works out which side of the thread the viewer writes on.
func (s *Service) senderIn(ctx context.Context, c *ent.Client, th *ent.Thread) (sender, error) {
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
	m, err := s.memberOf(ctx, c, th, uid)
	if err != nil {
		return sender{}, err
	}
	if m != nil {
		return sender{side: rule.SideMember, userID: uid, key: userKey(uid), member: m}, nil
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

// delivery carries what the send path learnt about the target.
type delivery struct {
	away     *string // the page's away message (visitor sends)
	created  bool    // the thread gets its first message now
	sendAway bool    // the page is closed and answers with its away message
}

// deliver stores a checked message (or returns the earlier one with the same
// clientMessageId), updates the thread, notifies and queues the events.
func (s *Service) deliver(ctx context.Context, tx *ent.Tx, batch *pubsub.Batch, th *ent.Thread, nm newMessage, dl delivery) (*Result, error) {
	if nm.clientID != nil {
		if res, err := s.earlier(ctx, tx, nm.sender.key, *nm.clientID); res != nil || err != nil {
			return res, err
		}
	}
	if err := s.notStale(ctx, tx, th, nm); err != nil {
		return nil, err
	}
	if err := s.checkReplyTo(ctx, tx, th, nm.replyTo); err != nil {
		return nil, err
	}
	if err := s.admit(ctx, tx, nm.sender); err != nil {
		return nil, err
	}
	if dl.created {
		batch.Add(pubsub.Event{Topic: pubsub.PageTopic(th.PageID), Kind: pubsub.KindInbox,
			InboxKind: InboxThreadCreated, ThreadID: th.ID, PageID: th.PageID})
	}
	// THREAD_CREATED comes before the thread's first MESSAGE_CREATED in
	// the page event log.
	if dl.created {
		if err := s.enqueue(ctx, tx, th.PageID, schematype.EventThreadCreated, map[string]any{"thread": webhook.Thread(th)}); err != nil {
			return nil, err
		}
	}
	m, th, err := s.appendMessage(ctx, tx, batch, th, nm)
	if err != nil {
		return nil, err
	}
	if err := s.notify(ctx, tx, batch, th, m, nm); err != nil {
		return nil, err
	}
	res := &Result{Message: m, Thread: th}
	if dl.sendAway && !th.AwaySent && dl.away != nil {
		if _, th, err = s.appendMessage(ctx, tx, batch, th, newMessage{
			sender: sender{side: sideSystem}, body: *dl.away,
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
	sys := rule.For(ctx, rule.Dedup)
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
		return &Result{Message: m, Thread: m.Edges.Thread, duplicate: true}, nil
	}
	if err := tx.Message.UpdateOneID(m.ID).ClearSenderKey().Exec(rule.AuthorizeReleaseClientID(ctx, m.ID)); err != nil {
		return nil, err
	}
	return nil, nil
}

func nonNil(a []schematype.Attachment) []schematype.Attachment {
	if a == nil {
		return []schematype.Attachment{}
	}
	return a
}
