// Package inbox lists conversations: a page's shared inbox for its staff and
// a user's own threads, with unread counts. Staff-only answers are null for
// everyone else (rule 11), and every query also runs through the thread
// privacy filter.
package inbox

import (
	"context"
	"log/slog"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/dialect/sql"

	"pageinbox/ent"
	"pageinbox/ent/groupmember"
	"pageinbox/ent/notification"
	"pageinbox/ent/pagemembership"
	"pageinbox/ent/predicate"
	"pageinbox/ent/thread"
	"pageinbox/internal/clock"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
	"pageinbox/internal/webhook"
	"pageinbox/internal/webpush"
)

// Service reads and manages inboxes.
type Service struct {
	client *ent.Client
	clock  clock.Clock
	pub    pubsub.Publisher
	outbox *webhook.Outbox
	push   *webpush.Outbox
	log    *slog.Logger
}

// New returns the inbox service.
func New(client *ent.Client, clk clock.Clock, pub pubsub.Publisher, outbox *webhook.Outbox, push *webpush.Outbox, log *slog.Logger) *Service {
	return &Service{client: client, clock: clk, pub: pub, outbox: outbox, push: push, log: log}
}

// Page is a cursor page of a connection.
type Page struct {
	First, Last   *int
	After, Before *entgql.Cursor[int]
	// Columns, when set, are the only thread columns the caller's fields
	// read (the sort and cursor columns are added by the pagination).
	Columns []string
}

// PageThreads is the page's inbox, optionally filtered, or nil when the
// viewer is not inbox staff.
func (s *Service) PageThreads(ctx context.Context, p *ent.Page, pg Page, f *Filter) (*ent.ThreadConnection, error) {
	if ok, err := rule.InboxVisible(ctx, p.ID); err != nil || !ok {
		return nil, err
	}
	// One round trip: the visitors come in the threads statement.
	q := s.client.Thread.Query().Where(thread.PageID(p.ID)).WithVisitorJoined()
	if len(pg.Columns) > 0 {
		q.Select(pg.Columns...)
	}
	if err := s.apply(q, f); err != nil {
		return nil, err
	}
	var sort *Sort
	if f != nil {
		sort = f.Sort
	}
	return q.Paginate(ctx, pg.After, pg.First, pg.Before, pg.Last, order(q, sort))
}

// PageUnreadThreadCount counts threads with visitor messages the page has
// not read; nil for non-staff.
func (s *Service) PageUnreadThreadCount(ctx context.Context, p *ent.Page) (*int, error) {
	if ok, err := rule.InboxVisible(ctx, p.ID); err != nil || !ok {
		return nil, err
	}
	n, err := s.client.Thread.Query().Where(thread.PageID(p.ID), thread.PageUnreadGT(0)).Count(ctx)
	return &n, err
}

// UserThreads lists the viewer's own conversations; nil for anyone else.
func (s *Service) UserThreads(ctx context.Context, u *ent.User, pg Page) (*ent.ThreadConnection, error) {
	if !rule.IsSelf(ctx, u.ID) {
		return nil, nil
	}
	return s.client.Thread.Query().
		Where(thread.Or(thread.VisitorID(u.ID), thread.HasGroupMembershipsWith(groupmember.UserID(u.ID)))).
		WithVisitorJoined().
		Paginate(ctx, pg.After, pg.First, pg.Before, pg.Last, newestFirst())
}

// UserUnreadThreadCount counts the viewer's threads with unread messages.
func (s *Service) UserUnreadThreadCount(ctx context.Context, u *ent.User) (*int, error) {
	if !rule.IsSelf(ctx, u.ID) {
		return nil, nil
	}
	n, err := s.client.Thread.Query().Where(thread.Or(
		thread.And(thread.VisitorID(u.ID), thread.VisitorUnreadGT(0)),
		memberWithUnread(u.ID),
	)).Count(ctx)
	return &n, err
}

// memberWithUnread matches group threads where the user's read mark is
// behind the last message.
func memberWithUnread(uid int) predicate.Thread {
	return func(s *sql.Selector) {
		gm := sql.Table(groupmember.Table)
		s.Where(sql.Exists(sql.Select(gm.C(groupmember.FieldThreadID)).From(gm).Where(sql.And(
			sql.ColumnsEQ(gm.C(groupmember.FieldThreadID), s.C(thread.FieldID)),
			sql.EQ(gm.C(groupmember.FieldUserID), uid),
			sql.ColumnsLT(gm.C(groupmember.FieldReadSeq), s.C(thread.FieldLastSeq)),
		))))
	}
}

// UnreadCount is the number of unread messages on the viewer's side.
func (s *Service) UnreadCount(ctx context.Context, th *ent.Thread) (int, error) {
	uid, isUser := viewer.FromContext(ctx).UserID()
	if isUser && th.VisitorID != nil && *th.VisitorID == uid {
		return th.VisitorUnread, nil
	}
	if isUser && th.Kind == thread.KindGROUP {
		m, err := s.client.GroupMember.Query().
			Where(groupmember.ThreadID(th.ID), groupmember.UserID(uid)).
			Only(ctx)
		if err == nil {
			return max(th.LastSeq-m.ReadSeq, 0), nil
		}
		if !ent.IsNotFound(err) {
			return 0, err
		}
	}
	if ok, err := rule.InboxVisible(ctx, th.PageID); err != nil || !ok {
		return 0, err
	}
	return th.PageUnread, nil
}

// Notifications lists the viewer's notifications, newest first.
func (s *Service) Notifications(ctx context.Context, u *ent.User, first *int, after *entgql.Cursor[int], unreadOnly bool) (*ent.NotificationConnection, error) {
	if !rule.IsSelf(ctx, u.ID) {
		return nil, nil
	}
	q := s.client.Notification.Query().Where(notification.RecipientID(u.ID))
	if unreadOnly {
		q.Where(notification.ReadAtIsNil())
	}
	return q.Paginate(ctx, after, first, nil, nil, ent.WithNotificationOrder(&ent.NotificationOrder{
		Direction: entgql.OrderDirectionDesc,
		Field:     ent.NotificationOrderFieldCreatedAt,
	}))
}

// UnreadNotificationCount counts the viewer's unread notifications.
func (s *Service) UnreadNotificationCount(ctx context.Context, u *ent.User) (*int, error) {
	if !rule.IsSelf(ctx, u.ID) {
		return nil, nil
	}
	n, err := s.client.Notification.Query().
		Where(notification.RecipientID(u.ID), notification.ReadAtIsNil()).
		Count(ctx)
	return &n, err
}

// ManagedPages lists the pages the viewer is staff of.
func (s *Service) ManagedPages(ctx context.Context, u *ent.User) ([]*ent.PageMembership, error) {
	if !rule.IsSelf(ctx, u.ID) {
		return nil, nil
	}
	return s.client.PageMembership.Query().Where(pagemembership.UserID(u.ID)).All(ctx)
}

// Members lists a page's staff, for its ADMIN and MODERATOR staff (an
// ANALYST reads responsiveness only).
func (s *Service) Members(ctx context.Context, p *ent.Page) ([]*ent.PageMembership, error) {
	if ok, err := rule.PageStaffListsVisible(ctx, p.ID); err != nil || !ok {
		return nil, err
	}
	return s.client.PageMembership.Query().
		Where(pagemembership.PageID(p.ID)).
		Order(ent.Asc(pagemembership.FieldID)).
		All(ctx)
}

// ViewerRole is the viewer's role on the page, nil if none.
func ViewerRole(ctx context.Context, p *ent.Page) (*viewer.Role, error) {
	r, ok, err := viewer.FromContext(ctx).Role(ctx, p.ID)
	if err != nil || !ok {
		return nil, err
	}
	return &r, nil
}

// ViewerThread is the viewer's DIRECT thread with the page, nil if none.
func (s *Service) ViewerThread(ctx context.Context, p *ent.Page) (*ent.Thread, error) {
	uid, ok := viewer.FromContext(ctx).UserID()
	if !ok {
		return nil, nil
	}
	th, err := s.client.Thread.Query().Where(thread.PageID(p.ID), thread.VisitorID(uid)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return th, err
}
