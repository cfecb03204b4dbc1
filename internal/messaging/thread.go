package messaging

import (
	"context"
	"fmt"

	"pageinbox/ent"
	"pageinbox/ent/groupmember"
	"pageinbox/ent/thread"
	"pageinbox/internal/apierr"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
)

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
	return store.ForUpdate(s.postgres, q)
}

// lockDirectThread finds or creates the (page, visitor) thread and locks it.
// Two first messages racing both insert with ON CONFLICT DO NOTHING; the
// loser waits on the winner's row and then reuses it. created reports a
// thread without messages yet (its first message creates it for the inbox).
func (s *Service) lockDirectThread(ctx context.Context, tx *ent.Tx, pageID, visitorID int) (th *ent.Thread, created bool, err error) {
	// The visitor of a thread always sees it; a page replying privately is
	// its staff. The server looks the pair up for either.
	sys := rule.System(ctx)
	q := func() (*ent.Thread, error) {
		return s.forUpdate(tx.Thread.Query().Where(thread.PageID(pageID), thread.VisitorID(visitorID))).Only(sys)
	}
	th, err = q()
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
	if err != nil && !store.Conflicted(err) {
		return nil, false, fmt.Errorf("messaging: create thread: %w", err)
	}
	th, err = q()
	if err != nil {
		return nil, false, err
	}
	return th, th.LastSeq == 0, nil
}

// memberOf returns the viewer's membership of a group thread, nil if none.
func (s *Service) memberOf(ctx context.Context, c *ent.Client, th *ent.Thread, uid int) (*ent.GroupMember, error) {
	if th.Kind != thread.KindGROUP {
		return nil, nil
	}
	m, err := c.GroupMember.Query().Where(groupmember.ThreadID(th.ID), groupmember.UserID(uid)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return m, err
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
