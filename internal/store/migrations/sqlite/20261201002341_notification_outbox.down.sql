-- reverse: set sequence for "notification_jobs" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "notification_jobs";
-- reverse: create "notification_jobs" table
DROP TABLE `notification_jobs`;
-- reverse: create index "notification_message_id" to table: "notifications"
DROP INDEX `notification_message_id`;
-- reverse: create index "notification_recipient_id_read_at" to table: "notifications"
DROP INDEX `notification_recipient_id_read_at`;
-- reverse: set sequence for "new_notifications" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_notifications";
-- reverse: create "new_notifications" table
DROP TABLE `new_notifications`;
