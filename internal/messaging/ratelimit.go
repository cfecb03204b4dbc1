package messaging

import (
	"context"
	"fmt"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/message"
	"pageinbox/ent/thread"
	"pageinbox/internal/apierr"
	"pageinbox/internal/ratelimit"
)

// admit is rule 23's message limit: it counts this send in the sender's
// window, or refuses with RATE_LIMITED and when to retry. The count is part
// of the send's transaction, so a send that fails - or loses a race and is
// retried - does not count. Duplicates of an earlier clientMessageId are
// answered before admit and never count either.
func (s *Service) admit(ctx context.Context, tx *ent.Tx, snd sender) error {
	wait, ok, err := s.limits.Take(ctx, tx, s.perMinute, snd.key, s.clock.Now())
	if err != nil {
		return err
	}
	if !ok {
		return apierr.NewRateLimited(
			fmt.Sprintf("at most %d messages per minute; try again later", s.cfg.MessagesPerMinute),
			ratelimit.RetrySeconds(wait))
	}
	return nil
}

// admitNewThread is rule 23's limit on conversations a visitor starts:
// at most ThreadsPerHour DIRECT threads in any hour whose first message is
// the visitor's (a page's private reply starts a thread the visitor did not
// ask for, and does not count). It counts in the database, so the limit
// holds across replicas and restarts; it runs only when a thread is about
// to be created, off the hot path.
func (s *Service) admitNewThread(ctx context.Context, tx *ent.Tx, visitorID int) error {
	limit := s.cfg.ThreadsPerHour
	if limit <= 0 {
		return nil
	}
	now := s.clock.Now()
	// The count is the server's bookkeeping on the visitor's own threads.
	var started []struct {
		CreatedAt time.Time `json:"created_at"`
	}
	err := tx.Thread.Query().
		Where(thread.VisitorID(visitorID), thread.KindEQ(thread.KindDIRECT),
			thread.CreatedAtGT(now.Add(-time.Hour)),
			thread.HasMessagesWith(message.Seq(1), message.SenderID(visitorID))).
		Order(ent.Asc(thread.FieldCreatedAt)).
		Select(thread.FieldCreatedAt).
		Scan(ctx, &started) // the visitor's own threads: visible to them
	if err != nil {
		return err
	}
	if len(started) < limit {
		return nil
	}
	frees := started[len(started)-limit].CreatedAt.Add(time.Hour)
	return apierr.NewRateLimited(
		fmt.Sprintf("at most %d new conversations per hour; try again later", limit),
		ratelimit.RetrySeconds(frees.Sub(now)))
}
