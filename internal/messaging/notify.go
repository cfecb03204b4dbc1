package messaging

import (
	"context"
	"fmt"
	"slices"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/block"
	"pageinbox/ent/groupmember"
	"pageinbox/ent/notification"
	"pageinbox/ent/pagemembership"
	"pageinbox/ent/predicate"
	"pageinbox/ent/thread"
	"pageinbox/ent/user"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
)

// Inbox event kinds (the contract's InboxEventKind).
const (
	InboxMessageAdded  = "MESSAGE_ADDED"
	InboxThreadCreated = "THREAD_CREATED"
	InboxThreadUpdated = "THREAD_UPDATED"
	InboxThreadRead    = "THREAD_READ"
)

// notify stores rule 20's notifications for a new message and queues their
// live delivery: a visitor's message goes to the page's ADMINs and
// MODERATORs, a page's reply (or private reply) to the visitor, a group
// message to the other members. Users who blocked the page get nothing from
// it (rule 13).
func (s *Service) notify(ctx context.Context, tx *ent.Tx, batch *pubsub.Batch, th *ent.Thread, m *ent.Message, nm newMessage) error {
	var (
		recipients []int
		kind       notification.Kind
		err        error
	)
	// Recipients are looked up by the server, whoever the sender is.
	sys := rule.For(ctx, rule.NotifyRecipients)
	switch {
	case nm.sender.side == rule.SideVisitor && nm.manyStaff && m != nil:
		// Too many to read or write here: the Expander does both.
		return s.notifications.enqueue(ctx, tx, notification.KindNEW_MESSAGE, th, m, nil, nm.sender.userID, s.clock.Now())
	case nm.sender.side == rule.SideVisitor && nm.inboxStaff != nil:
		kind = notification.KindNEW_MESSAGE
		recipients = slices.Clone(nm.inboxStaff)
	case nm.sender.side == rule.SideVisitor:
		kind = notification.KindNEW_MESSAGE
		recipients, err = tx.PageMembership.Query().
			Where(pagemembership.PageID(th.PageID), pagemembership.RoleIn(viewer.RoleAdmin, viewer.RoleModerator)).
			Select(pagemembership.FieldUserID).
			Ints(sys)
	case th.Kind == thread.KindGROUP && (nm.sender.side == rule.SideMember || nm.sender.side == rule.SidePage):
		kind = notification.KindGROUP_MESSAGE
		q := tx.GroupMember.Query().Where(groupmember.ThreadID(th.ID))
		if nm.sender.side == rule.SidePage {
			q.Where(groupmember.Not(groupmember.HasUserWith(userBlockedPage(th.PageID))))
		}
		recipients, err = q.Select(groupmember.FieldUserID).Ints(sys)
	case nm.sender.side == rule.SidePage && th.VisitorID != nil:
		kind = notification.KindPAGE_REPLY
		if nm.privateReply {
			kind = notification.KindPRIVATE_REPLY
		}
		recipients = []int{*th.VisitorID}
	}
	if err != nil {
		return err
	}
	// Nobody is notified of their own message.
	recipients = slices.DeleteFunc(recipients, func(id int) bool { return id == nm.sender.userID })
	return s.createNotifications(ctx, tx, batch, kind, th, m, recipients)
}

// fanInAbove is the recipient count above which one KindNotifications
// event replaces an event per recipient: a 10,000-member group chat would
// otherwise send 10,000 NOTIFYs per message through PostgreSQL and every
// replica, competing with the message's own delivery.
const fanInAbove = 16

// deferAbove is the recipient count above which a message's
// notifications are written after its commit, by the notification
// outbox's worker (Expander), instead of in the send's transaction: a
// visitor message to a page with 10,000 staff would otherwise hold the
// thread's row lock, the sender and the message's live delivery for
// 10,000 inserts. Up to it, the rows are part of the send (a few
// milliseconds), so a small team reads its notifications as soon as the
// send returns.
const deferAbove = 100

// notificationBatch bounds one INSERT: PostgreSQL takes at most 65,535
// parameters per statement, six per notification here.
const notificationBatch = 1000

// createNotifications writes one notification per recipient, or queues
// them for the Expander when there are many.
func (s *Service) createNotifications(ctx context.Context, tx *ent.Tx, batch *pubsub.Batch, kind notification.Kind, th *ent.Thread, m *ent.Message, recipients []int) error {
	if len(recipients) == 0 {
		return nil
	}
	now := s.clock.Now()
	if len(recipients) > deferAbove && m != nil {
		return s.notifications.enqueue(ctx, tx, kind, th, m, recipients, 0, now)
	}
	if len(recipients) > fanInAbove && m != nil {
		// One event stands for all of them; no row needs to come back.
		if err := insertNotifications(ctx, tx, kind, th.ID, m.ID, th.PageID, recipients, now); err != nil {
			return err
		}
		batch.Add(notificationsEvent(th.ID, m.ID))
		// One outbox row for all of them (rule 32).
		return s.push.Message(ctx, tx, m.ID, now)
	}
	for chunk := range slices.Chunk(recipients, notificationBatch) {
		builders := make([]*ent.NotificationCreate, len(chunk))
		for i, uid := range chunk {
			b := tx.Notification.Create().
				SetRecipientID(uid).
				SetKind(kind).
				SetThreadID(th.ID).
				SetPageID(th.PageID).
				SetCreatedAt(now)
			if m != nil {
				b.SetMessageID(m.ID)
			}
			builders[i] = b
		}
		ns, err := tx.Notification.CreateBulk(builders...).Save(ctx)
		if err != nil {
			return err
		}
		ids := make([]int, len(ns))
		for i, n := range ns {
			ids[i] = n.ID
			batch.Add(pubsub.Event{Topic: pubsub.UserTopic(n.RecipientID), Kind: pubsub.KindNotification,
				NotificationID: n.ID, UserID: n.RecipientID, ThreadID: th.ID})
		}
		// One outbox row per batch of notifications (rule 32).
		if err := s.push.Notifications(ctx, tx, ids, now); err != nil {
			return err
		}
	}
	return nil
}

// notificationsEvent announces every notification of a message at once;
// each replica reads those of its own subscribers (live.notificationFanIn).
func notificationsEvent(threadID, messageID int) pubsub.Event {
	return pubsub.Event{Topic: pubsub.NotificationsTopic(), Kind: pubsub.KindNotifications,
		MessageID: messageID, ThreadID: threadID}
}

// insertNotifications writes a message's notifications to many recipients
// in one set-based statement (store.InsertEach): for a 10,000-person team
// one statement instead of ten through ent's bulk builder, and none of its
// per-row garbage. It bypasses ent's mutation policy on purpose: it is
// only reached from notify (or the Expander, for notify's queued jobs),
// after the send rules authorised the message it notifies of.
func insertNotifications(ctx context.Context, x store.Execer, kind notification.Kind, threadID, messageID, pageID int, recipients []int, at time.Time) error {
	err := store.InsertEach(ctx, x, notification.Table, notification.FieldRecipientID, recipients,
		[]string{notification.FieldKind, notification.FieldThreadID, notification.FieldMessageID, notification.FieldPageID, notification.FieldCreatedAt},
		string(kind), threadID, messageID, pageID, at)
	if err != nil {
		return fmt.Errorf("messaging: insert notifications: %w", err)
	}
	return nil
}

// blocks reads both block directions between a page and a user (rule 13).
func (s *Service) blocks(ctx context.Context, c *ent.Client, pageID, userID int) (rule.Blocks, error) {
	// Block rows are private to the two sides; the send path reads them on
	// the server's behalf.
	bys, err := c.Block.Query().
		Where(block.PageID(pageID), block.UserID(userID)).
		Select(block.FieldBy).
		Strings(rule.For(ctx, rule.BlockCheck))
	if err != nil {
		return rule.Blocks{}, err
	}
	var b rule.Blocks
	for _, by := range bys {
		switch block.By(by) {
		case block.ByPAGE:
			b.PageBlockedUser = true
		case block.ByUSER:
			b.UserBlockedPage = true
		}
	}
	return b, nil
}

// userBlockedPage matches users who blocked the page.
func userBlockedPage(pageID int) predicate.User {
	return user.HasBlocksWith(block.PageID(pageID), block.ByEQ(block.ByUSER))
}
