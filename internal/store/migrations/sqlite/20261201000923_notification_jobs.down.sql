-- reverse: set sequence for "notification_jobs" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "notification_jobs";
-- reverse: create "notification_jobs" table
DROP TABLE `notification_jobs`;
