-- reverse: modify "webhook_deliveries" table
ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "webhook_deliveries_webhooks_deliveries";
-- reverse: modify "webhooks" table
ALTER TABLE "webhooks" DROP CONSTRAINT "webhooks_pages_webhooks";
-- reverse: modify "threads" table
ALTER TABLE "threads" DROP CONSTRAINT "threads_users_visitor_threads", DROP CONSTRAINT "threads_posts_group_chat", DROP CONSTRAINT "threads_pages_threads", DROP CONSTRAINT "threads_messages_last_of";
-- reverse: modify "sessions" table
ALTER TABLE "sessions" DROP CONSTRAINT "sessions_users_sessions";
-- reverse: modify "saved_replies" table
ALTER TABLE "saved_replies" DROP CONSTRAINT "saved_replies_pages_saved_replies";
-- reverse: modify "reactions" table
ALTER TABLE "reactions" DROP CONSTRAINT "reactions_threads_reactions", DROP CONSTRAINT "reactions_messages_reactions";
-- reverse: modify "posts" table
ALTER TABLE "posts" DROP CONSTRAINT "posts_pages_posts";
-- reverse: modify "page_memberships" table
ALTER TABLE "page_memberships" DROP CONSTRAINT "page_memberships_users_memberships", DROP CONSTRAINT "page_memberships_pages_memberships";
-- reverse: modify "page_api_tokens" table
ALTER TABLE "page_api_tokens" DROP CONSTRAINT "page_api_tokens_pages_api_tokens";
-- reverse: modify "notifications" table
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_users_notifications", DROP CONSTRAINT "notifications_threads_notifications", DROP CONSTRAINT "notifications_pages_notifications", DROP CONSTRAINT "notifications_notes_notifications", DROP CONSTRAINT "notifications_messages_notifications";
-- reverse: modify "notes" table
ALTER TABLE "notes" DROP CONSTRAINT "notes_users_notes", DROP CONSTRAINT "notes_threads_notes";
-- reverse: modify "message_revisions" table
ALTER TABLE "message_revisions" DROP CONSTRAINT "message_revisions_messages_revisions";
-- reverse: modify "messages" table
ALTER TABLE "messages" DROP CONSTRAINT "messages_users_sent_messages", DROP CONSTRAINT "messages_threads_messages", DROP CONSTRAINT "messages_pages_messages";
-- reverse: modify "group_members" table
ALTER TABLE "group_members" DROP CONSTRAINT "group_members_users_user", DROP CONSTRAINT "group_members_threads_thread";
-- reverse: modify "comments" table
ALTER TABLE "comments" DROP CONSTRAINT "comments_users_comments", DROP CONSTRAINT "comments_posts_comments";
-- reverse: modify "blocks" table
ALTER TABLE "blocks" DROP CONSTRAINT "blocks_users_blocks", DROP CONSTRAINT "blocks_pages_blocks";
-- reverse: modify "ads" table
ALTER TABLE "ads" DROP CONSTRAINT "ads_pages_ads";
-- reverse: create index "webhookdelivery_webhook_id_created_at" to table: "webhook_deliveries"
DROP INDEX "webhookdelivery_webhook_id_created_at";
-- reverse: create index "webhookdelivery_status_next_attempt_at" to table: "webhook_deliveries"
DROP INDEX "webhookdelivery_status_next_attempt_at";
-- reverse: create index "webhook_deliveries_delivery_id_key" to table: "webhook_deliveries"
DROP INDEX "webhook_deliveries_delivery_id_key";
-- reverse: create "webhook_deliveries" table
DROP TABLE "webhook_deliveries";
-- reverse: create "webhooks" table
DROP TABLE "webhooks";
-- reverse: create index "users_handle_key_key" to table: "users"
DROP INDEX "users_handle_key_key";
-- reverse: create index "users_email_key_key" to table: "users"
DROP INDEX "users_email_key_key";
-- reverse: create "users" table
DROP TABLE "users";
-- reverse: create index "threads_post_id_key" to table: "threads"
DROP INDEX "threads_post_id_key";
-- reverse: create index "threads_last_message_id_key" to table: "threads"
DROP INDEX "threads_last_message_id_key";
-- reverse: create index "thread_visitor_id_last_message_at" to table: "threads"
DROP INDEX "thread_visitor_id_last_message_at";
-- reverse: create index "thread_snoozed_until" to table: "threads"
DROP INDEX "thread_snoozed_until";
-- reverse: create index "thread_page_id_waiting_since" to table: "threads"
DROP INDEX "thread_page_id_waiting_since";
-- reverse: create index "thread_page_id_visitor_id" to table: "threads"
DROP INDEX "thread_page_id_visitor_id";
-- reverse: create index "thread_page_id_updated_at" to table: "threads"
DROP INDEX "thread_page_id_updated_at";
-- reverse: create index "thread_page_id_priority_last_message_at" to table: "threads"
DROP INDEX "thread_page_id_priority_last_message_at";
-- reverse: create index "thread_page_id_last_message_at" to table: "threads"
DROP INDEX "thread_page_id_last_message_at";
-- reverse: create "threads" table
DROP TABLE "threads";
-- reverse: create index "signing_keys_name_key" to table: "signing_keys"
DROP INDEX "signing_keys_name_key";
-- reverse: create "signing_keys" table
DROP TABLE "signing_keys";
-- reverse: create index "sessions_token_hash_key" to table: "sessions"
DROP INDEX "sessions_token_hash_key";
-- reverse: create "sessions" table
DROP TABLE "sessions";
-- reverse: create index "savedreply_page_id_shortcut_key" to table: "saved_replies"
DROP INDEX "savedreply_page_id_shortcut_key";
-- reverse: create "saved_replies" table
DROP TABLE "saved_replies";
-- reverse: create index "responserequest_page_id_requested_at" to table: "response_requests"
DROP INDEX "responserequest_page_id_requested_at";
-- reverse: create "response_requests" table
DROP TABLE "response_requests";
-- reverse: create index "reaction_message_id_reactor_key_emoji" to table: "reactions"
DROP INDEX "reaction_message_id_reactor_key_emoji";
-- reverse: create "reactions" table
DROP TABLE "reactions";
-- reverse: create index "rate_windows_key_key" to table: "rate_windows"
DROP INDEX "rate_windows_key_key";
-- reverse: create "rate_windows" table
DROP TABLE "rate_windows";
-- reverse: create index "post_page_id_created_at" to table: "posts"
DROP INDEX "post_page_id_created_at";
-- reverse: create "posts" table
DROP TABLE "posts";
-- reverse: create index "pagemembership_user_id" to table: "page_memberships"
DROP INDEX "pagemembership_user_id";
-- reverse: create index "pagemembership_page_id_user_id" to table: "page_memberships"
DROP INDEX "pagemembership_page_id_user_id";
-- reverse: create "page_memberships" table
DROP TABLE "page_memberships";
-- reverse: create index "page_api_tokens_token_hash_key" to table: "page_api_tokens"
DROP INDEX "page_api_tokens_token_hash_key";
-- reverse: create "page_api_tokens" table
DROP TABLE "page_api_tokens";
-- reverse: create index "pages_handle_key_key" to table: "pages"
DROP INDEX "pages_handle_key_key";
-- reverse: create "pages" table
DROP TABLE "pages";
-- reverse: create index "notification_recipient_id_read_at" to table: "notifications"
DROP INDEX "notification_recipient_id_read_at";
-- reverse: create index "notification_message_id" to table: "notifications"
DROP INDEX "notification_message_id";
-- reverse: create "notifications" table
DROP TABLE "notifications";
-- reverse: create index "note_thread_id_created_at" to table: "notes"
DROP INDEX "note_thread_id_created_at";
-- reverse: create index "note_page_id_created_at" to table: "notes"
DROP INDEX "note_page_id_created_at";
-- reverse: create "notes" table
DROP TABLE "notes";
-- reverse: create index "messagerevision_message_id" to table: "message_revisions"
DROP INDEX "messagerevision_message_id";
-- reverse: create "message_revisions" table
DROP TABLE "message_revisions";
-- reverse: create index "message_thread_id_seq" to table: "messages"
DROP INDEX "message_thread_id_seq";
-- reverse: create index "message_sender_key_client_message_id" to table: "messages"
DROP INDEX "message_sender_key_client_message_id";
-- reverse: create index "message_sender_id_created_at" to table: "messages"
DROP INDEX "message_sender_id_created_at";
-- reverse: create "messages" table
DROP TABLE "messages";
-- reverse: create index "groupmember_user_id" to table: "group_members"
DROP INDEX "groupmember_user_id";
-- reverse: create "group_members" table
DROP TABLE "group_members";
-- reverse: create index "comments_private_reply_message_id_key" to table: "comments"
DROP INDEX "comments_private_reply_message_id_key";
-- reverse: create index "comment_post_id_created_at" to table: "comments"
DROP INDEX "comment_post_id_created_at";
-- reverse: create "comments" table
DROP TABLE "comments";
-- reverse: create index "block_user_id" to table: "blocks"
DROP INDEX "block_user_id";
-- reverse: create index "block_page_id_user_id_by" to table: "blocks"
DROP INDEX "block_page_id_user_id_by";
-- reverse: create "blocks" table
DROP TABLE "blocks";
-- reverse: create "ads" table
DROP TABLE "ads";
