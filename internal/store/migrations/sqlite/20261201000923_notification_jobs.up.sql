-- create "notification_jobs" table
CREATE TABLE `notification_jobs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `thread_id` integer NOT NULL, `message_id` integer NOT NULL, `page_id` integer NOT NULL, `recipients` json NULL, `sender_id` integer NULL, `created_at` datetime NOT NULL);
-- set sequence for "notification_jobs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("notification_jobs", 115964116992);
