package webpush

import (
	"context"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/pushdelivery"
	"pageinbox/ent/pushjob"
	"pageinbox/internal/rule"
)

// OldestPending is the age of the oldest push not yet made - a job not
// yet expanded, or a delivery not yet sent (0 when none): the outbox's
// backlog, for the metrics.
func (d *Dispatcher) OldestPending(ctx context.Context) (time.Duration, error) {
	ctx = rule.For(ctx, rule.PushDelivery)
	var oldest time.Time
	job, err := d.client.PushJob.Query().Order(ent.Asc(pushjob.FieldID)).First(ctx)
	switch {
	case err == nil:
		oldest = job.CreatedAt
	case !ent.IsNotFound(err):
		return 0, err
	}
	dl, err := d.client.PushDelivery.Query().Order(ent.Asc(pushdelivery.FieldCreatedAt)).First(ctx)
	switch {
	case err == nil:
		if oldest.IsZero() || dl.CreatedAt.Before(oldest) {
			oldest = dl.CreatedAt
		}
	case !ent.IsNotFound(err):
		return 0, err
	}
	if oldest.IsZero() {
		return 0, nil
	}
	return d.clock.Now().Sub(oldest), nil
}
