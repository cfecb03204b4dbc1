-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_notifications" table
CREATE TABLE `new_notifications` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `created_at` datetime NOT NULL, `read_at` datetime NULL, `message_id` integer NULL, `note_id` integer NULL, `page_id` integer NULL, `thread_id` integer NOT NULL, `recipient_id` integer NOT NULL, `webhook_id` integer NULL, CONSTRAINT `notifications_notes_notifications` FOREIGN KEY (`note_id`) REFERENCES `notes` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_webhooks_notifications` FOREIGN KEY (`webhook_id`) REFERENCES `webhooks` (`id`) ON DELETE SET NULL);
-- set sequence for "new_notifications" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_notifications", 4294967296);
-- copy rows from old table "notifications" to new temporary table "new_notifications"
INSERT INTO `new_notifications` (`id`, `kind`, `created_at`, `read_at`, `message_id`, `note_id`, `page_id`, `thread_id`, `recipient_id`, `webhook_id`) SELECT `id`, `kind`, `created_at`, `read_at`, `message_id`, `note_id`, `page_id`, `thread_id`, `recipient_id`, `webhook_id` FROM `notifications`;
-- drop "notifications" table after copying rows
DROP TABLE `notifications`;
-- rename temporary table "new_notifications" to "notifications"
ALTER TABLE `new_notifications` RENAME TO `notifications`;
-- create index "notification_recipient_id_read_at" to table: "notifications"
CREATE INDEX `notification_recipient_id_read_at` ON `notifications` (`recipient_id`, `read_at`);
-- create index "notification_message_id" to table: "notifications"
CREATE INDEX `notification_message_id` ON `notifications` (`message_id`);
-- create "notification_jobs" table
CREATE TABLE `notification_jobs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `thread_id` integer NOT NULL, `message_id` integer NOT NULL, `page_id` integer NOT NULL, `recipients` json NULL, `sender_id` integer NULL, `created_at` datetime NOT NULL);
-- set sequence for "notification_jobs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("notification_jobs", 115964116992);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
