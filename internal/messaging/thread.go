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

// lockThread loads a thread the viewer may write in, locks its row and
// reads its page's facts.
func (s *Service) lockThread(ctx context.Context, tx *ent.Tx, id int) (*ent.Thread, *pageFacts, error) {
	uid, _ := viewer.FromContext(ctx).UserID()
	th, facts, err := s.lockWithFacts(ctx, tx, tx.Thread.Query().Where(thread.ID(id)), uid)
	if ent.IsNotFound(err) {
		// A token that may send but not read cannot see threads; it may
		// still answer the page's own threads.
		v := viewer.FromContext(ctx)
		if t, ok := v.Token(); ok && v.HasScope(t.PageID, viewer.ScopeSendMessages) {
			th, facts, err = s.lockWithFacts(rule.For(ctx, rule.DirectThread), tx, // scope checked just above
				tx.Thread.Query().Where(thread.ID(id), thread.PageID(t.PageID)), uid)
		}
	}
	if ent.IsNotFound(err) {
		return nil, nil, apierr.New(apierr.NotFound, "thread not found")
	}
	return th, facts, err
}

// lockDirectThread locks the (page, visitor) thread and reads the page's
// facts; it is not found when the visitor has not written yet.
func (s *Service) lockDirectThread(ctx context.Context, tx *ent.Tx, pageID, visitorID int) (*ent.Thread, *pageFacts, error) {
	// The visitor of a thread always sees it; a page replying privately is
	// its staff. The server looks the pair up for either.
	return s.lockWithFacts(rule.For(ctx, rule.DirectThread), tx,
		tx.Thread.Query().Where(thread.PageID(pageID), thread.VisitorID(visitorID)), visitorID)
}

// createDirectThread creates the (page, visitor) thread if it is missing
// and locks it. Two first messages racing both insert with ON CONFLICT DO
// NOTHING; the loser waits on the winner's row and then reuses it. created
// reports a thread without messages yet (its first message creates it for
// the inbox).
func (s *Service) createDirectThread(ctx context.Context, tx *ent.Tx, pageID, visitorID int) (th *ent.Thread, created bool, err error) {
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
	th, err = store.ForUpdate(tx.Thread.Query().Where(thread.PageID(pageID), thread.VisitorID(visitorID))).Only(rule.For(ctx, rule.DirectThread))
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
