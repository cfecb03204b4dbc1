-- reverse: create "notification_jobs" table
DROP TABLE "notification_jobs";
