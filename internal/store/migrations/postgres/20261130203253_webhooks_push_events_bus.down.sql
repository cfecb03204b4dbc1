-- reverse: create index "pushdelivery_next_attempt_at" to table: "push_deliveries"
DROP INDEX "pushdelivery_next_attempt_at";
-- reverse: create "push_deliveries" table
DROP TABLE "push_deliveries";
-- reverse: create index "pushsubscription_user_id" to table: "push_subscriptions"
DROP INDEX "pushsubscription_user_id";
-- reverse: create index "push_subscriptions_endpoint_key" to table: "push_subscriptions"
DROP INDEX "push_subscriptions_endpoint_key";
-- reverse: create "push_subscriptions" table
DROP TABLE "push_subscriptions";
-- reverse: create index "pageevent_page_id_id" to table: "page_events"
DROP INDEX "pageevent_page_id_id";
-- reverse: create index "pageevent_created_at" to table: "page_events"
DROP INDEX "pageevent_created_at";
-- reverse: create "page_events" table
DROP TABLE "page_events";
-- reverse: create "push_jobs" table
DROP TABLE "push_jobs";
-- reverse: create index "busevent_locked_until" to table: "bus_events"
DROP INDEX "busevent_locked_until";
-- reverse: create index "bus_events_event_id_key" to table: "bus_events"
DROP INDEX "bus_events_event_id_key";
-- reverse: create "bus_events" table
DROP TABLE "bus_events";
-- reverse: modify "webhooks" table
ALTER TABLE "webhooks" DROP COLUMN "failing_since", DROP COLUMN "disabled_reason", DROP COLUMN "previous_secret_expires_at", DROP COLUMN "previous_secret";
