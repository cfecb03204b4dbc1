-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_notifications" table
CREATE TABLE `new_notifications` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `created_at` datetime NOT NULL, `read_at` datetime NULL, `message_id` integer NULL, `note_id` integer NULL, `page_id` integer NULL, `thread_id` integer NOT NULL, `recipient_id` integer NOT NULL, `webhook_id` integer NULL, CONSTRAINT `notifications_messages_notifications` FOREIGN KEY (`message_id`) REFERENCES `messages` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_notes_notifications` FOREIGN KEY (`note_id`) REFERENCES `notes` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_pages_notifications` FOREIGN KEY (`page_id`) REFERENCES `pages` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_threads_notifications` FOREIGN KEY (`thread_id`) REFERENCES `threads` (`id`) ON DELETE NO ACTION, CONSTRAINT `notifications_users_notifications` FOREIGN KEY (`recipient_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION, CONSTRAINT `notifications_webhooks_notifications` FOREIGN KEY (`webhook_id`) REFERENCES `webhooks` (`id`) ON DELETE SET NULL);
-- set sequence for "new_notifications" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_notifications", 4294967296);
-- copy rows from old table "notifications" to new temporary table "new_notifications"
INSERT INTO `new_notifications` (`id`, `kind`, `created_at`, `read_at`, `message_id`, `note_id`, `page_id`, `thread_id`, `recipient_id`) SELECT `id`, `kind`, `created_at`, `read_at`, `message_id`, `note_id`, `page_id`, `thread_id`, `recipient_id` FROM `notifications`;
-- drop "notifications" table after copying rows
DROP TABLE `notifications`;
-- rename temporary table "new_notifications" to "notifications"
ALTER TABLE `new_notifications` RENAME TO `notifications`;
-- create index "notification_recipient_id_read_at" to table: "notifications"
CREATE INDEX `notification_recipient_id_read_at` ON `notifications` (`recipient_id`, `read_at`);
-- create index "notification_message_id" to table: "notifications"
CREATE INDEX `notification_message_id` ON `notifications` (`message_id`);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
