package inbox

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"pageinbox/ent"
	"pageinbox/ent/notification"
	"pageinbox/ent/pagemembership"
	"pageinbox/ent/schema/schematype"
	"pageinbox/ent/thread"
	"pageinbox/internal/apierr"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
	"pageinbox/internal/webhook"
)

// Label limits.
const (
	maxLabels     = 20
	maxLabelRunes = 50
)

// Update is a change to a thread's inbox state (rule 15).
type Update struct {
	ThreadID      int
	Status        *thread.Status
	AssigneeID    *int
	ClearAssignee bool
	AddLabels     []string
	RemoveLabels  []string
	// Priority and SnoozedUntil are the team inbox's (rule 36).
	Priority     *Priority
	SnoozedUntil *time.Time
}

// UpdateThread sets a thread's status, assignee and labels. The assignee
// must be the page's ADMIN or MODERATOR and is notified (ASSIGNED).
func (s *Service) UpdateThread(ctx context.Context, u Update) (*ent.Thread, error) {
	th, err := s.client.Thread.Get(ctx, u.ThreadID)
	if err != nil {
		return nil, store.NotFound(err, "thread not found")
	}
	ctx, err = rule.AuthorizeInboxManagement(ctx, th.PageID, th.ID)
	if err != nil {
		return nil, err
	}
	if u.ClearAssignee && u.AssigneeID != nil {
		return nil, apierr.New(apierr.BadUserInput, "give assigneeId or clearAssignee, not both")
	}
	if u.AssigneeID != nil {
		ok, err := s.client.PageMembership.Query().Where(
			pagemembership.PageID(th.PageID), pagemembership.UserID(*u.AssigneeID),
			pagemembership.RoleIn(viewer.RoleAdmin, viewer.RoleModerator),
		).Exist(ctx) // inbox managers see their page's staff list
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, apierr.New(apierr.BadUserInput, "the assignee must be an ADMIN or MODERATOR of the page")
		}
	}
	if err := s.checkSnooze(u); err != nil {
		return nil, err
	}
	add, err := cleanLabels(u.AddLabels)
	if err != nil {
		return nil, err
	}
	remove, err := cleanLabels(u.RemoveLabels)
	if err != nil {
		return nil, err
	}
	err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		cur, err := store.ForUpdate(tx.Thread.Query().Where(thread.ID(th.ID))).Only(ctx)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		upd := tx.Thread.UpdateOneID(cur.ID).SetUpdatedAt(now)
		if u.Status != nil {
			// Any other status ends a snooze.
			upd.SetStatus(*u.Status).ClearSnoozedUntil()
		}
		if u.SnoozedUntil != nil {
			upd.SetStatus(thread.StatusSNOOZED).SetSnoozedUntil(u.SnoozedUntil.UTC())
		}
		if u.Priority != nil {
			rank, _ := u.Priority.Rank() // checked by checkSnooze
			upd.SetPriority(rank)
		}
		if u.ClearAssignee {
			upd.ClearAssigneeID()
		}
		if u.AssigneeID != nil {
			upd.SetAssigneeID(*u.AssigneeID)
		}
		if len(add) > 0 || len(remove) > 0 {
			labels := slices.DeleteFunc(slices.Clone(cur.Labels), func(l string) bool { return slices.Contains(remove, l) })
			for _, l := range add {
				if !slices.Contains(labels, l) {
					labels = append(labels, l)
				}
			}
			if len(labels) > maxLabels {
				return apierr.Errorf(apierr.LimitExceeded, "a thread has at most %d labels", maxLabels)
			}
			upd.SetLabels(labels)
		}
		if th, err = upd.Save(ctx); err != nil {
			return err
		}
		if s.outbox != nil {
			err := s.outbox.Enqueue(ctx, tx, th.PageID, schematype.EventThreadUpdated, map[string]any{"thread": webhook.Thread(th)}, now)
			if err != nil {
				return err
			}
		}
		batch := pubsub.AfterCommit(tx, s.pub, s.log)
		batch.Add(pubsub.Event{Topic: pubsub.PageTopic(th.PageID), Kind: pubsub.KindInbox,
			InboxKind: "THREAD_UPDATED", ThreadID: th.ID, PageID: th.PageID})
		newAssignee := u.AssigneeID != nil && (cur.AssigneeID == nil || *cur.AssigneeID != *u.AssigneeID)
		if me, _ := viewer.FromContext(ctx).UserID(); newAssignee && *u.AssigneeID != me {
			n, err := tx.Notification.Create().
				SetRecipientID(*u.AssigneeID).
				SetKind(notification.KindASSIGNED).
				SetThreadID(th.ID).
				SetPageID(th.PageID).
				SetCreatedAt(now).
				Save(ctx)
			if err != nil {
				return err
			}
			batch.Add(pubsub.Event{Topic: pubsub.UserTopic(n.RecipientID), Kind: pubsub.KindNotification,
				NotificationID: n.ID, UserID: n.RecipientID, ThreadID: th.ID})
			return s.push.Notifications(ctx, tx, []int{n.ID}, now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return th.Unwrap(), nil
}

// checkSnooze validates the team inbox's part of an update.
func (s *Service) checkSnooze(u Update) error {
	if u.Priority != nil {
		if _, err := u.Priority.Rank(); err != nil {
			return err
		}
	}
	if u.Status != nil && *u.Status == thread.StatusSNOOZED && u.SnoozedUntil == nil {
		return apierr.New(apierr.BadUserInput, "to snooze a thread, give snoozedUntil")
	}
	if u.SnoozedUntil == nil {
		return nil
	}
	if u.Status != nil && *u.Status != thread.StatusSNOOZED {
		return apierr.New(apierr.BadUserInput, "snoozedUntil sets status SNOOZED; give no other status with it")
	}
	if !u.SnoozedUntil.After(s.clock.Now()) {
		return apierr.New(apierr.BadUserInput, "snoozedUntil must be in the future")
	}
	return nil
}

func cleanLabels(in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	for _, l := range in {
		l = strings.TrimSpace(l)
		if l == "" || utf8.RuneCountInString(l) > maxLabelRunes {
			return nil, apierr.Errorf(apierr.BadUserInput, "labels are 1-%d characters", maxLabelRunes)
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out, nil
}

// Status, Assignee and Labels are staff-only fields: nil for others.

// Status is the thread's inbox status, for inbox staff.
func (s *Service) Status(ctx context.Context, th *ent.Thread) (*thread.Status, error) {
	if ok, err := rule.ThreadStaffFieldsVisible(ctx, th.PageID); err != nil || !ok {
		return nil, err
	}
	return &th.Status, nil
}

// Labels are the thread's labels, for inbox staff.
func (s *Service) Labels(ctx context.Context, th *ent.Thread) ([]string, error) {
	if ok, err := rule.ThreadStaffFieldsVisible(ctx, th.PageID); err != nil || !ok {
		return nil, err
	}
	if th.Labels == nil {
		return []string{}, nil
	}
	return th.Labels, nil
}

// Assignee is the staff member the thread is assigned to, for inbox staff.
func (s *Service) Assignee(ctx context.Context, th *ent.Thread) (*ent.User, error) {
	if th.AssigneeID == nil {
		return nil, nil
	}
	if ok, err := rule.ThreadStaffFieldsVisible(ctx, th.PageID); err != nil || !ok {
		return nil, err
	}
	return s.client.User.Get(ctx, *th.AssigneeID)
}

// ThreadPriority is the thread's priority, for inbox staff.
func (s *Service) ThreadPriority(ctx context.Context, th *ent.Thread) (*Priority, error) {
	if ok, err := rule.IsInboxManager(ctx, th.PageID); err != nil || !ok {
		return nil, err
	}
	p := PriorityOf(th)
	return &p, nil
}

// SnoozedUntil is when a snoozed thread opens again, for inbox staff.
func (s *Service) SnoozedUntil(ctx context.Context, th *ent.Thread) (*time.Time, error) {
	if ok, err := rule.IsInboxManager(ctx, th.PageID); err != nil || !ok {
		return nil, err
	}
	return th.SnoozedUntil, nil
}

// WaitingSince is since when the visitor waits for a human answer, for
// inbox staff.
func (s *Service) WaitingSince(ctx context.Context, th *ent.Thread) (*time.Time, error) {
	if ok, err := rule.IsInboxManager(ctx, th.PageID); err != nil || !ok {
		return nil, err
	}
	return th.WaitingSince, nil
}
