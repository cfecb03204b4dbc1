-- reverse: create "notification_jobs" table
DROP TABLE "notification_jobs";
-- reverse: modify "notifications" table
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_users_notifications" FOREIGN KEY ("recipient_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, ADD CONSTRAINT "notifications_threads_notifications" FOREIGN KEY ("thread_id") REFERENCES "threads" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, ADD CONSTRAINT "notifications_pages_notifications" FOREIGN KEY ("page_id") REFERENCES "pages" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, ADD CONSTRAINT "notifications_messages_notifications" FOREIGN KEY ("message_id") REFERENCES "messages" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;
