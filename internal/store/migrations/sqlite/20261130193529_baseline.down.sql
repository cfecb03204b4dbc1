-- reverse: create index "webhookdelivery_webhook_id_created_at" to table: "webhook_deliveries"
DROP INDEX `webhookdelivery_webhook_id_created_at`;
-- reverse: create index "webhookdelivery_status_next_attempt_at" to table: "webhook_deliveries"
DROP INDEX `webhookdelivery_status_next_attempt_at`;
-- reverse: create index "webhook_deliveries_delivery_id_key" to table: "webhook_deliveries"
DROP INDEX `webhook_deliveries_delivery_id_key`;
-- reverse: set sequence for "webhook_deliveries" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "webhook_deliveries";
-- reverse: create "webhook_deliveries" table
DROP TABLE `webhook_deliveries`;
-- reverse: set sequence for "webhooks" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "webhooks";
-- reverse: create "webhooks" table
DROP TABLE `webhooks`;
-- reverse: create index "users_email_key_key" to table: "users"
DROP INDEX `users_email_key_key`;
-- reverse: create index "users_handle_key_key" to table: "users"
DROP INDEX `users_handle_key_key`;
-- reverse: set sequence for "users" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "users";
-- reverse: create "users" table
DROP TABLE `users`;
-- reverse: create index "thread_snoozed_until" to table: "threads"
DROP INDEX `thread_snoozed_until`;
-- reverse: create index "thread_page_id_waiting_since" to table: "threads"
DROP INDEX `thread_page_id_waiting_since`;
-- reverse: create index "thread_page_id_priority_last_message_at" to table: "threads"
DROP INDEX `thread_page_id_priority_last_message_at`;
-- reverse: create index "thread_page_id_updated_at" to table: "threads"
DROP INDEX `thread_page_id_updated_at`;
-- reverse: create index "thread_visitor_id_last_message_at" to table: "threads"
DROP INDEX `thread_visitor_id_last_message_at`;
-- reverse: create index "thread_page_id_last_message_at" to table: "threads"
DROP INDEX `thread_page_id_last_message_at`;
-- reverse: create index "thread_page_id_visitor_id" to table: "threads"
DROP INDEX `thread_page_id_visitor_id`;
-- reverse: create index "threads_post_id_key" to table: "threads"
DROP INDEX `threads_post_id_key`;
-- reverse: create index "threads_last_message_id_key" to table: "threads"
DROP INDEX `threads_last_message_id_key`;
-- reverse: set sequence for "threads" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "threads";
-- reverse: create "threads" table
DROP TABLE `threads`;
-- reverse: create index "signing_keys_name_key" to table: "signing_keys"
DROP INDEX `signing_keys_name_key`;
-- reverse: set sequence for "signing_keys" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "signing_keys";
-- reverse: create "signing_keys" table
DROP TABLE `signing_keys`;
-- reverse: create index "sessions_token_hash_key" to table: "sessions"
DROP INDEX `sessions_token_hash_key`;
-- reverse: set sequence for "sessions" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "sessions";
-- reverse: create "sessions" table
DROP TABLE `sessions`;
-- reverse: create index "savedreply_page_id_shortcut_key" to table: "saved_replies"
DROP INDEX `savedreply_page_id_shortcut_key`;
-- reverse: set sequence for "saved_replies" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "saved_replies";
-- reverse: create "saved_replies" table
DROP TABLE `saved_replies`;
-- reverse: create index "responserequest_page_id_requested_at" to table: "response_requests"
DROP INDEX `responserequest_page_id_requested_at`;
-- reverse: set sequence for "response_requests" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "response_requests";
-- reverse: create "response_requests" table
DROP TABLE `response_requests`;
-- reverse: create index "reaction_message_id_reactor_key_emoji" to table: "reactions"
DROP INDEX `reaction_message_id_reactor_key_emoji`;
-- reverse: set sequence for "reactions" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "reactions";
-- reverse: create "reactions" table
DROP TABLE `reactions`;
-- reverse: create index "rate_windows_key_key" to table: "rate_windows"
DROP INDEX `rate_windows_key_key`;
-- reverse: set sequence for "rate_windows" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "rate_windows";
-- reverse: create "rate_windows" table
DROP TABLE `rate_windows`;
-- reverse: create index "post_page_id_created_at" to table: "posts"
DROP INDEX `post_page_id_created_at`;
-- reverse: set sequence for "posts" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "posts";
-- reverse: create "posts" table
DROP TABLE `posts`;
-- reverse: create index "pagemembership_user_id" to table: "page_memberships"
DROP INDEX `pagemembership_user_id`;
-- reverse: create index "pagemembership_page_id_user_id" to table: "page_memberships"
DROP INDEX `pagemembership_page_id_user_id`;
-- reverse: set sequence for "page_memberships" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "page_memberships";
-- reverse: create "page_memberships" table
DROP TABLE `page_memberships`;
-- reverse: create index "page_api_tokens_token_hash_key" to table: "page_api_tokens"
DROP INDEX `page_api_tokens_token_hash_key`;
-- reverse: set sequence for "page_api_tokens" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "page_api_tokens";
-- reverse: create "page_api_tokens" table
DROP TABLE `page_api_tokens`;
-- reverse: create index "pages_handle_key_key" to table: "pages"
DROP INDEX `pages_handle_key_key`;
-- reverse: set sequence for "pages" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "pages";
-- reverse: create "pages" table
DROP TABLE `pages`;
-- reverse: create index "notification_message_id" to table: "notifications"
DROP INDEX `notification_message_id`;
-- reverse: create index "notification_recipient_id_read_at" to table: "notifications"
DROP INDEX `notification_recipient_id_read_at`;
-- reverse: set sequence for "notifications" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "notifications";
-- reverse: create "notifications" table
DROP TABLE `notifications`;
-- reverse: create index "note_page_id_created_at" to table: "notes"
DROP INDEX `note_page_id_created_at`;
-- reverse: create index "note_thread_id_created_at" to table: "notes"
DROP INDEX `note_thread_id_created_at`;
-- reverse: set sequence for "notes" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "notes";
-- reverse: create "notes" table
DROP TABLE `notes`;
-- reverse: create index "messagerevision_message_id" to table: "message_revisions"
DROP INDEX `messagerevision_message_id`;
-- reverse: set sequence for "message_revisions" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "message_revisions";
-- reverse: create "message_revisions" table
DROP TABLE `message_revisions`;
-- reverse: create index "message_sender_id_created_at" to table: "messages"
DROP INDEX `message_sender_id_created_at`;
-- reverse: create index "message_sender_key_client_message_id" to table: "messages"
DROP INDEX `message_sender_key_client_message_id`;
-- reverse: create index "message_thread_id_seq" to table: "messages"
DROP INDEX `message_thread_id_seq`;
-- reverse: create "messages" table
DROP TABLE `messages`;
-- reverse: create index "groupmember_user_id" to table: "group_members"
DROP INDEX `groupmember_user_id`;
-- reverse: set sequence for "group_members" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "group_members";
-- reverse: create "group_members" table
DROP TABLE `group_members`;
-- reverse: create index "comment_post_id_created_at" to table: "comments"
DROP INDEX `comment_post_id_created_at`;
-- reverse: create index "comments_private_reply_message_id_key" to table: "comments"
DROP INDEX `comments_private_reply_message_id_key`;
-- reverse: set sequence for "comments" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "comments";
-- reverse: create "comments" table
DROP TABLE `comments`;
-- reverse: create index "block_user_id" to table: "blocks"
DROP INDEX `block_user_id`;
-- reverse: create index "block_page_id_user_id_by" to table: "blocks"
DROP INDEX `block_page_id_user_id_by`;
-- reverse: set sequence for "blocks" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "blocks";
-- reverse: create "blocks" table
DROP TABLE `blocks`;
-- reverse: set sequence for "ads" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "ads";
-- reverse: create "ads" table
DROP TABLE `ads`;
