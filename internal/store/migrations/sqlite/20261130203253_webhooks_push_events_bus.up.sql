-- add column "previous_secret" to table: "webhooks"
ALTER TABLE `webhooks` ADD COLUMN `previous_secret` text NULL;
-- add column "previous_secret_expires_at" to table: "webhooks"
ALTER TABLE `webhooks` ADD COLUMN `previous_secret_expires_at` datetime NULL;
-- add column "disabled_reason" to table: "webhooks"
ALTER TABLE `webhooks` ADD COLUMN `disabled_reason` text NULL;
-- add column "failing_since" to table: "webhooks"
ALTER TABLE `webhooks` ADD COLUMN `failing_since` datetime NULL;
-- create "bus_events" table
CREATE TABLE `bus_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `event_id` text NOT NULL, `payload` text NOT NULL, `locked_until` datetime NOT NULL, `created_at` datetime NOT NULL);
-- set sequence for "bus_events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("bus_events", 111669149696);
-- create index "bus_events_event_id_key" to table: "bus_events"
CREATE UNIQUE INDEX `bus_events_event_id_key` ON `bus_events` (`event_id`);
-- create index "busevent_locked_until" to table: "bus_events"
CREATE INDEX `busevent_locked_until` ON `bus_events` (`locked_until`);
-- create "page_events" table
CREATE TABLE `page_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `type` text NOT NULL, `thread_id` integer NULL, `message_id` integer NULL, `payload` text NOT NULL, `created_at` datetime NOT NULL, `page_id` integer NOT NULL, CONSTRAINT `page_events_pages_page_events` FOREIGN KEY (`page_id`) REFERENCES `pages` (`id`) ON DELETE NO ACTION);
-- set sequence for "page_events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("page_events", 94489280512);
-- create index "pageevent_page_id_id" to table: "page_events"
CREATE INDEX `pageevent_page_id_id` ON `page_events` (`page_id`, `id`);
-- create index "pageevent_created_at" to table: "page_events"
CREATE INDEX `pageevent_created_at` ON `page_events` (`created_at`);
-- create "push_deliveries" table
CREATE TABLE `push_deliveries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `notification_id` integer NOT NULL, `attempts` integer NOT NULL DEFAULT (0), `next_attempt_at` datetime NOT NULL, `locked_until` datetime NULL, `created_at` datetime NOT NULL, `subscription_id` integer NOT NULL, CONSTRAINT `push_deliveries_push_subscriptions_deliveries` FOREIGN KEY (`subscription_id`) REFERENCES `push_subscriptions` (`id`) ON DELETE CASCADE);
-- set sequence for "push_deliveries" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("push_deliveries", 98784247808);
-- create index "pushdelivery_next_attempt_at" to table: "push_deliveries"
CREATE INDEX `pushdelivery_next_attempt_at` ON `push_deliveries` (`next_attempt_at`);
-- create "push_jobs" table
CREATE TABLE `push_jobs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `message_id` integer NULL, `notification_ids` json NULL, `created_at` datetime NOT NULL);
-- set sequence for "push_jobs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("push_jobs", 103079215104);
-- create "push_subscriptions" table
CREATE TABLE `push_subscriptions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `endpoint` text NOT NULL, `p256dh` text NOT NULL, `auth` text NOT NULL, `user_agent` text NULL, `created_at` datetime NOT NULL, `last_success_at` datetime NULL, `user_id` integer NOT NULL, CONSTRAINT `push_subscriptions_users_push_subscriptions` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- set sequence for "push_subscriptions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("push_subscriptions", 107374182400);
-- create index "push_subscriptions_endpoint_key" to table: "push_subscriptions"
CREATE UNIQUE INDEX `push_subscriptions_endpoint_key` ON `push_subscriptions` (`endpoint`);
-- create index "pushsubscription_user_id" to table: "push_subscriptions"
CREATE INDEX `pushsubscription_user_id` ON `push_subscriptions` (`user_id`);
