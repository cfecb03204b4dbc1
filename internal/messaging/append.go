package messaging

import (
	"context"
	"fmt"

	"pageinbox/ent"
	"pageinbox/ent/message"
	"pageinbox/ent/schema/schematype"
	"pageinbox/ent/thread"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
)

// sideSystem marks automatic messages (the away message).
const sideSystem rule.Side = -1

// newMessage is a checked message about to be stored.
type newMessage struct {
	sender   sender
	body     string
	atts     []schematype.Attachment
	clientID *string
	referral *referral
	// privateReply: the page answers a comment; it then waits for the
	// visitor (rule 6).
	privateReply bool
	// inboxStaff, when known, are the page's ADMIN and MODERATOR users
	// (the recipients of a visitor message's notifications).
	inboxStaff []int
	// manyStaff: the page has more than deferAbove of them, so the
	// Expander reads them after the commit.
	manyStaff bool
	// replyTo is the quoted message (checked to be of the same thread).
	replyTo *int
	// expectedLastSeq: see Draft.ExpectedLastSeq.
	expectedLastSeq *int
}

// appendMessage numbers and stores one message and moves the thread's
// counters, read marks and responsiveness record. The caller holds the
// thread's row lock.
func (s *Service) appendMessage(ctx context.Context, tx *ent.Tx, batch *pubsub.Batch, th *ent.Thread, nm newMessage) (*ent.Message, *ent.Thread, error) {
	now := s.clock.Now()
	seq := th.LastSeq + 1
	create := tx.Message.Create().
		SetThreadID(th.ID).
		SetSeq(seq).
		SetBody(nm.body).
		SetAttachments(nonNil(nm.atts)).
		SetNillableClientMessageID(nm.clientID).
		SetNillableReplyToID(nm.replyTo).
		SetCreatedAt(now)
	if nm.clientID != nil {
		create.SetSenderKey(nm.sender.key)
	}
	if nm.sender.userID != 0 {
		create.SetSenderID(nm.sender.userID)
	}
	if r := nm.referral; r != nil {
		create.SetReferralSource(r.source).
			SetNillableReferralCommentID(r.commentID).
			SetNillableReferralPostID(r.postID)
		if r.ad != nil {
			create.SetReferralAd(r.ad)
		}
	}
	// The thread row is locked, so its new state is known without reading
	// it back: next mirrors every change made to the row.
	next := *th
	snip := snippet(nm.body, nm.atts)
	next.LastSeq, next.LastMessageAt, next.UpdatedAt, next.Snippet = seq, now, now, snip
	// A bulk update of one row: UpdateOne would read the row back.
	upd := tx.Thread.Update().Where(thread.ID(th.ID)).
		SetLastSeq(seq).
		SetLastMessageAt(now).
		SetUpdatedAt(now).
		SetSnippet(snip)
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
		next.LastVisitorMessageAt, next.AwaitingVisitor, next.PageUnread = &now, false, th.PageUnread+1
		next.VisitorUnread, next.VisitorReadSeq, next.VisitorLastReadAt = 0, seq, &now
		if th.Status == thread.StatusDONE || th.Status == thread.StatusSNOOZED {
			// Rule 15: a new visitor message reopens; rule 36: it wakes a
			// snoozed thread at once.
			upd.SetStatus(thread.StatusOPEN).ClearSnoozedUntil()
			next.Status, next.SnoozedUntil = thread.StatusOPEN, nil
		}
		if th.WaitingSince == nil {
			// Rule 36: the oldest visitor message no human answered.
			upd.SetWaitingSince(now)
			next.WaitingSince = &now
		}
		if th.OpenRequestID == nil {
			// Rule 16: nothing of the visitor's is waiting, so this message
			// is a new request for the page.
			req, err := tx.ResponseRequest.Create().
				SetPageID(th.PageID).SetThreadID(th.ID).SetRequestedAt(now).Save(ctx)
			if err != nil {
				return nil, nil, err
			}
			upd.SetOpenRequestID(req.ID)
			next.OpenRequestID = &req.ID
		}
	case rule.SidePage:
		create.SetSenderType(message.SenderTypePAGE).SetPageID(th.PageID)
		upd.AddVisitorUnread(1).
			SetPageUnread(0).
			SetPageReadSeq(seq).
			SetPageLastReadAt(now).
			SetAwaySent(false). // a human answer ends the visitor's burst
			ClearWaitingSince() // and the wait (away messages are SYSTEM: they do not)
		next.VisitorUnread, next.PageUnread, next.PageReadSeq, next.PageLastReadAt, next.AwaySent = th.VisitorUnread+1, 0, seq, &now, false
		next.WaitingSince = nil
		if nm.privateReply {
			upd.SetAwaitingVisitor(true)
			next.AwaitingVisitor = true
		}
		if th.OpenRequestID != nil {
			// The page's next human message answers the open request.
			if err := tx.ResponseRequest.UpdateOneID(*th.OpenRequestID).SetAnsweredAt(now).Exec(ctx); err != nil {
				return nil, nil, err
			}
			upd.ClearOpenRequestID()
			next.OpenRequestID = nil
		}
	case rule.SideMember:
		create.SetSenderType(message.SenderTypeMEMBER)
		upd.AddPageUnread(1)
		next.PageUnread = th.PageUnread + 1
	case sideSystem:
		create.SetSenderType(message.SenderTypeSYSTEM).SetPageID(th.PageID)
		upd.AddVisitorUnread(1).SetAwaySent(true)
		next.VisitorUnread, next.AwaySent = th.VisitorUnread+1, true
	default:
		return nil, nil, fmt.Errorf("messaging: unknown side %d", nm.sender.side)
	}
	m, err := create.Save(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := upd.SetLastMessageID(m.ID).Exec(ctx); err != nil {
		return nil, nil, err
	}
	next.LastMessageID = &m.ID
	th = &next
	if mb := nm.sender.member; mb != nil {
		// The member read everything up to their own message.
		if err := tx.GroupMember.UpdateOne(mb).SetReadSeq(seq).SetLastReadAt(now).SetHasPosted(true).Exec(ctx); err != nil {
			return nil, nil, err
		}
	}
	// Every message is an event of the page's log (rule 34), whether or
	// not the page has webhooks.
	if err := s.enqueue(ctx, tx, th.PageID, schematype.EventMessageCreated, s.messageData(ctx, th, m)); err != nil {
		return nil, nil, err
	}
	batch.Add(
		pubsub.Event{Topic: pubsub.ThreadTopic(th.ID), Kind: pubsub.KindMessage, ThreadID: th.ID, MessageID: m.ID, Seq: m.Seq},
		pubsub.Event{Topic: pubsub.PageTopic(th.PageID), Kind: pubsub.KindInbox, InboxKind: InboxMessageAdded,
			ThreadID: th.ID, MessageID: m.ID, PageID: th.PageID},
	)
	return m, th, nil
}
