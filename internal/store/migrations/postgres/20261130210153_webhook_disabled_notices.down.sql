-- reverse: modify "notifications" table
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_webhooks_notifications", DROP COLUMN "webhook_id";
