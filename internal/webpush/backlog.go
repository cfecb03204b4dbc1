package webpush

import (
	"context"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/pushdelivery"
	"pageinbox/ent/pushjob"
	"pageinbox/internal/outbox"
	"pageinbox/internal/rule"
)

// OldestPending is the age of the oldest push not yet made - a job not
// yet expanded, or a delivery not yet sent (0 when none): the outbox's
// backlog, for the metrics.
func (d *Dispatcher) OldestPending(ctx context.Context) (time.Duration, error) {
	jobs := d.client.PushJob.Query().Order(ent.Asc(pushjob.FieldID))
	deliveries := d.client.PushDelivery.Query().Order(ent.Asc(pushdelivery.FieldCreatedAt))
	return outbox.Age(rule.For(ctx, rule.PushDelivery), d.clock,
		outbox.First(jobs.First, func(j *ent.PushJob) time.Time { return j.CreatedAt }),
		outbox.First(deliveries.First, func(dl *ent.PushDelivery) time.Time { return dl.CreatedAt }))
}
