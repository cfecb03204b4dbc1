-- reverse: create index "pushsubscription_user_id" to table: "push_subscriptions"
DROP INDEX `pushsubscription_user_id`;
-- reverse: create index "push_subscriptions_endpoint_key" to table: "push_subscriptions"
DROP INDEX `push_subscriptions_endpoint_key`;
-- reverse: set sequence for "push_subscriptions" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "push_subscriptions";
-- reverse: create "push_subscriptions" table
DROP TABLE `push_subscriptions`;
-- reverse: set sequence for "push_jobs" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "push_jobs";
-- reverse: create "push_jobs" table
DROP TABLE `push_jobs`;
-- reverse: create index "pushdelivery_next_attempt_at" to table: "push_deliveries"
DROP INDEX `pushdelivery_next_attempt_at`;
-- reverse: set sequence for "push_deliveries" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "push_deliveries";
-- reverse: create "push_deliveries" table
DROP TABLE `push_deliveries`;
-- reverse: create index "pageevent_created_at" to table: "page_events"
DROP INDEX `pageevent_created_at`;
-- reverse: create index "pageevent_page_id_id" to table: "page_events"
DROP INDEX `pageevent_page_id_id`;
-- reverse: set sequence for "page_events" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "page_events";
-- reverse: create "page_events" table
DROP TABLE `page_events`;
-- reverse: create index "busevent_locked_until" to table: "bus_events"
DROP INDEX `busevent_locked_until`;
-- reverse: create index "bus_events_event_id_key" to table: "bus_events"
DROP INDEX `bus_events_event_id_key`;
-- reverse: set sequence for "bus_events" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "bus_events";
-- reverse: create "bus_events" table
DROP TABLE `bus_events`;
-- reverse: add column "failing_since" to table: "webhooks"
ALTER TABLE `webhooks` DROP COLUMN `failing_since`;
-- reverse: add column "disabled_reason" to table: "webhooks"
ALTER TABLE `webhooks` DROP COLUMN `disabled_reason`;
-- reverse: add column "previous_secret_expires_at" to table: "webhooks"
ALTER TABLE `webhooks` DROP COLUMN `previous_secret_expires_at`;
-- reverse: add column "previous_secret" to table: "webhooks"
ALTER TABLE `webhooks` DROP COLUMN `previous_secret`;
