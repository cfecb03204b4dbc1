-- modify "notifications" table
ALTER TABLE "notifications" ADD COLUMN "webhook_id" bigint NULL, ADD CONSTRAINT "notifications_webhooks_notifications" FOREIGN KEY ("webhook_id") REFERENCES "webhooks" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;
