package rule

import "context"

// The notification outbox of a large fan-out (rule 20): the send path
// queues one job for a message's notifications, and a worker writes them
// after the commit.

// typeNotificationJob is the outbox's ent type name.
const typeNotificationJob = "NotificationJob"

// AuthorizeNotificationOutbox lets a send queue its message's
// notifications, whoever the sender is: the recipients were looked up by
// the server (NotifyRecipients) and are never shown to the sender.
func AuthorizeNotificationOutbox(ctx context.Context) context.Context {
	return grant(ctx, "notification outbox", creates(typeNotificationJob))
}

// AuthorizeNotificationExpand lets the worker delete the jobs it claimed
// once their notifications are written.
func AuthorizeNotificationExpand(ctx context.Context, jobIDs []int) context.Context {
	return grant(ctx, "notification expand", changes(typeNotificationJob, rowIDs(jobIDs)))
}
