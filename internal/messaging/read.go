package messaging

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"pageinbox/ent"
	"pageinbox/ent/notification"
	"pageinbox/ent/thread"
	"pageinbox/internal/apierr"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// MarkRead moves the viewer's side's read mark to the newest message
// (rule 10): the visitor's own mark, a group member's own mark, or the
// page's mark, shared by its staff.
func (s *Service) MarkRead(ctx context.Context, threadID int) (*ent.Thread, error) {
	th, err := s.client.Thread.Get(ctx, threadID)
	if err != nil {
		return nil, store.NotFound(err, "thread not found")
	}
	snd, err := s.readerIn(ctx, th)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	ctx = rule.AuthorizeReadMark(ctx, th.ID)
	err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		if snd.member != nil {
			// The member's mark moves to the thread's last seq, read in
			// the same statement so a concurrent message is not skipped.
			return tx.GroupMember.UpdateOne(snd.member).SetLastReadAt(now).
				Modify(func(u *sql.UpdateBuilder) {
					u.Set("read_seq", sql.Raw("(SELECT last_seq FROM threads WHERE threads.id = group_members.thread_id)"))
				}).Exec(ctx)
		}
		upd := tx.Thread.UpdateOneID(th.ID).SetUpdatedAt(now)
		// The read mark is set to last_seq inside the UPDATE itself, so a
		// message committed meanwhile is either counted read or unread,
		// never lost between the two.
		switch snd.side {
		case rule.SideVisitor:
			upd.SetVisitorUnread(0).SetVisitorLastReadAt(now).
				Modify(func(u *sql.UpdateBuilder) { u.Set(thread.FieldVisitorReadSeq, sql.Expr(thread.FieldLastSeq)) })
		case rule.SidePage:
			upd.SetPageUnread(0).SetPageLastReadAt(now).
				Modify(func(u *sql.UpdateBuilder) { u.Set(thread.FieldPageReadSeq, sql.Expr(thread.FieldLastSeq)) })
		}
		th, err = upd.Save(ctx)
		if err != nil {
			return err
		}
		pubsub.AfterCommit(tx, s.pub, s.log).Add(pubsub.Event{
			Topic: pubsub.PageTopic(th.PageID), Kind: pubsub.KindInbox, InboxKind: InboxThreadRead,
			ThreadID: th.ID, PageID: th.PageID,
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if snd.member != nil {
		return s.client.Thread.Get(ctx, th.ID)
	}
	return th.Unwrap(), nil
}

// readerIn is who moves a read mark: the viewer's side, as for sending.
// Moving the page's mark changes what every staff member sees as unread,
// so a token needs SEND_MESSAGES for it, as for any other act in the
// inbox; READ_THREADS only reads.
func (s *Service) readerIn(ctx context.Context, th *ent.Thread) (sender, error) {
	return s.senderIn(ctx, s.client, th)
}

// MarkNotificationsRead marks the viewer's notifications read: the given
// ids, or all of them. It returns how many changed.
func (s *Service) MarkNotificationsRead(ctx context.Context, ids []int, all bool) (int, error) {
	ctx, uid, err := rule.AuthorizeNotificationsRead(ctx)
	if err != nil {
		return 0, err
	}
	if !all && len(ids) == 0 {
		return 0, apierr.New(apierr.BadUserInput, "give ids or all: true")
	}
	if len(ids) > 1000 {
		return 0, apierr.New(apierr.LimitExceeded, "at most 1000 ids at once")
	}
	q := s.client.Notification.Update().
		Where(notification.RecipientID(uid), notification.ReadAtIsNil()).
		SetReadAt(s.clock.Now())
	if !all {
		q.Where(notification.IDIn(ids...))
	}
	return q.Save(ctx)
}
