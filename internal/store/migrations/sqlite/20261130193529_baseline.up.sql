-- create "ads" table
CREATE TABLE `ads` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `title` text NOT NULL, `body` text NULL, `image_url` text NULL, `active` bool NOT NULL DEFAULT (true), `created_at` datetime NOT NULL, `page_id` integer NOT NULL, CONSTRAINT `ads_pages_ads` FOREIGN KEY (`page_id`) REFERENCES `pages` (`id`) ON DELETE NO ACTION);
-- set sequence for "ads" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("ads", 38654705664);
-- create "blocks" table
CREATE TABLE `blocks` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `by` text NOT NULL, `created_at` datetime NOT NULL, `page_id` integer NOT NULL, `user_id` integer NOT NULL, CONSTRAINT `blocks_pages_blocks` FOREIGN KEY (`page_id`) REFERENCES `pages` (`id`) ON DELETE NO ACTION, CONSTRAINT `blocks_users_blocks` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- set sequence for "blocks" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("blocks", 30064771072);
-- create index "block_page_id_user_id_by" to table: "blocks"
CREATE UNIQUE INDEX `block_page_id_user_id_by` ON `blocks` (`page_id`, `user_id`, `by`);
-- create index "block_user_id" to table: "blocks"
CREATE INDEX `block_user_id` ON `blocks` (`user_id`);
-- create "comments" table
CREATE TABLE `comments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `body` text NOT NULL, `created_at` datetime NOT NULL, `hidden` bool NOT NULL DEFAULT (false), `private_reply_at` datetime NULL, `private_reply_message_id` integer NULL, `post_id` integer NOT NULL, `author_id` integer NOT NULL, CONSTRAINT `comments_posts_comments` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE NO ACTION, CONSTRAINT `comments_users_comments` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- set sequence for "comments" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("comments", 42949672960);
-- create index "comments_private_reply_message_id_key" to table: "comments"
CREATE UNIQUE INDEX `comments_private_reply_message_id_key` ON `comments` (`private_reply_message_id`);
-- create index "comment_post_id_created_at" to table: "comments"
CREATE INDEX `comment_post_id_created_at` ON `comments` (`post_id`, `created_at`);
-- create "group_members" table
CREATE TABLE `group_members` (`joined_at` datetime NOT NULL, `read_seq` integer NOT NULL DEFAULT (0), `last_read_at` datetime NULL, `has_posted` bool NOT NULL DEFAULT (false), `thread_id` integer NOT NULL, `user_id` integer NOT NULL, PRIMARY KEY (`thread_id`, `user_id`), CONSTRAINT `group_members_threads_thread` FOREIGN KEY (`thread_id`) REFERENCES `threads` (`id`) ON DELETE NO ACTION, CONSTRAINT `group_members_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- set sequence for "group_members" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("group_members", 34359738368);
-- create index "groupmember_user_id" to table: "group_members"
CREATE INDEX `groupmember_user_id` ON `group_members` (`user_id`);
-- create "messages" table
CREATE TABLE `messages` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `seq` integer NOT NULL, `sender_type` text NOT NULL, `body` text NOT NULL, `attachments` json NOT NULL, `edited_at` datetime NULL, `edit_count` integer NOT NULL DEFAULT (0), `removed_at` datetime NULL, `referral_source` text NULL, `referral_ad` json NULL, `referral_comment_id` integer NULL, `referral_post_id` integer NULL, `client_message_id` text NULL, `sender_key` text NULL, `created_at` datetime NOT NULL, `reply_to_id` integer NULL, `page_id` integer NULL, `thread_id` integer NOT NULL, `sender_id` integer NULL, CONSTRAINT `messages_messages_replies` FOREIGN KEY (`reply_to_id`) REFERENCES `messages` (`id`) ON DELETE SET NULL, CONSTRAINT `messages_pages_messages` FOREIGN KEY (`page_id`) REFERENCES `pages` (`id`) ON DELETE SET NULL, CONSTRAINT `messages_threads_messages` FOREIGN KEY (`thread_id`) REFERENCES `threads` (`id`) ON DELETE NO ACTION, CONSTRAINT `messages_users_sent_messages` FOREIGN KEY (`sender_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- create index "message_thread_id_seq" to table: "messages"
CREATE UNIQUE INDEX `message_thread_id_seq` ON `messages` (`thread_id`, `seq`);
-- create index "message_sender_key_client_message_id" to table: "messages"
CREATE UNIQUE INDEX `message_sender_key_client_message_id` ON `messages` (`sender_key`, `client_message_id`);
-- create index "message_sender_id_created_at" to table: "messages"
CREATE INDEX `message_sender_id_created_at` ON `messages` (`sender_id`, `created_at`);
-- create "message_revisions" table
CREATE TABLE `message_revisions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `page_id` integer NOT NULL, `body` text NOT NULL, `edited_at` datetime NOT NULL, `message_id` integer NOT NULL, CONSTRAINT `message_revisions_messages_revisions` FOREIGN KEY (`message_id`) REFERENCES `messages` (`id`) ON DELETE NO ACTION);
-- set sequence for "message_revisions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("message_revisions", 81604378624);
-- create index "messagerevision_message_id" to table: "message_revisions"
CREATE INDEX `messagerevision_message_id` ON `message_revisions` (`message_id`);
-- create "notes" table
CREATE TABLE `notes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `page_id` integer NOT NULL, `body` text NOT NULL, `mention_ids` json NOT NULL, `created_at` datetime NOT NULL, `thread_id` integer NOT NULL, `author_id` integer NULL, CONSTRAINT `notes_threads_notes` FOREIGN KEY (`thread_id`) REFERENCES `threads` (`id`) ON DELETE NO ACTION, CONSTRAINT `notes_users_notes` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- set sequence for "notes" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("notes", 85899345920);
-- create index "note_thread_id_created_at" to table: "notes"
CREATE INDEX `note_thread_id_created_at` ON `notes` (`thread_id`, `created_at`);
-- create index "note_page_id_created_at" to table: "notes"
CREATE INDEX `note_page_id_created_at` ON `notes` (`page_id`, `created_at`);
-- create "notifications" table
CREATE TABLE `notifications` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `created_at` datetime NOT NULL, `read_at` datetime NULL, `message_id` integer NULL, `note_id` integer NULL, `page_id` integer NULL, `thread_id` integer NOT NULL, `recipient_id` integer NOT NULL, CONSTRAINT `notifications_messages_notifications` FOREIGN KEY (`message_id`) REFERENCES `messages` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_notes_notifications` FOREIGN KEY (`note_id`) REFERENCES `notes` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_pages_notifications` FOREIGN KEY (`page_id`) REFERENCES `pages` (`id`) ON DELETE SET NULL, CONSTRAINT `notifications_threads_notifications` FOREIGN KEY (`thread_id`) REFERENCES `threads` (`id`) ON DELETE NO ACTION, CONSTRAINT `notifications_users_notifications` FOREIGN KEY (`recipient_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- set sequence for "notifications" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("notifications", 4294967296);
-- create index "notification_recipient_id_read_at" to table: "notifications"
CREATE INDEX `notification_recipient_id_read_at` ON `notifications` (`recipient_id`, `read_at`);
-- create index "notification_message_id" to table: "notifications"
CREATE INDEX `notification_message_id` ON `notifications` (`message_id`);
-- create "pages" table
CREATE TABLE `pages` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `handle` text NOT NULL, `handle_key` text NOT NULL, `about` text NULL, `created_at` datetime NOT NULL, `messaging_enabled` bool NOT NULL DEFAULT (true), `away_message` text NULL, `time_zone` text NOT NULL DEFAULT ('UTC'), `availability` json NOT NULL);
-- set sequence for "pages" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("pages", 8589934592);
-- create index "pages_handle_key_key" to table: "pages"
CREATE UNIQUE INDEX `pages_handle_key_key` ON `pages` (`handle_key`);
-- create "page_api_tokens" table
CREATE TABLE `page_api_tokens` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `scopes` json NOT NULL, `token_hash` blob NOT NULL, `created_by` integer NULL, `created_at` datetime NOT NULL, `last_used_at` datetime NULL, `revoked_at` datetime NULL, `page_id` integer NOT NULL, CONSTRAINT `page_api_tokens_pages_api_tokens` FOREIGN KEY (`page_id`) REFERENCES `pages` (`id`) ON DELETE NO ACTION);
-- set sequence for "page_api_tokens" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("page_api_tokens", 60129542144);
-- create index "page_api_tokens_token_hash_key" to table: "page_api_tokens"
CREATE UNIQUE INDEX `page_api_tokens_token_hash_key` ON `page_api_tokens` (`token_hash`);
-- create "page_memberships" table
CREATE TABLE `page_memberships` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `role` text NOT NULL, `created_at` datetime NOT NULL, `page_id` integer NOT NULL, `user_id` integer NOT NULL, CONSTRAINT `page_memberships_pages_memberships` FOREIGN KEY (`page_id`) REFERENCES `pages` (`id`) ON DELETE NO ACTION, CONSTRAINT `page_memberships_users_memberships` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- set sequence for "page_memberships" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("page_memberships", 12884901888);
-- create index "pagemembership_page_id_user_id" to table: "page_memberships"
CREATE UNIQUE INDEX `pagemembership_page_id_user_id` ON `page_memberships` (`page_id`, `user_id`);
-- create index "pagemembership_user_id" to table: "page_memberships"
CREATE INDEX `pagemembership_user_id` ON `page_memberships` (`user_id`);
-- create "posts" table
CREATE TABLE `posts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_by` integer NULL, `kind` text NOT NULL DEFAULT ('STATUS'), `body` text NOT NULL, `created_at` datetime NOT NULL, `comment_count` integer NOT NULL DEFAULT (0), `page_id` integer NOT NULL, CONSTRAINT `posts_pages_posts` FOREIGN KEY (`page_id`) REFERENCES `pages` (`id`) ON DELETE NO ACTION);
-- set sequence for "posts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("posts", 47244640256);
-- create index "post_page_id_created_at" to table: "posts"
CREATE INDEX `post_page_id_created_at` ON `posts` (`page_id`, `created_at`);
-- create "rate_windows" table
CREATE TABLE `rate_windows` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `key` text NOT NULL, `times` json NOT NULL, `last_at` integer NOT NULL, `accepted` bool NOT NULL DEFAULT (true));
-- set sequence for "rate_windows" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("rate_windows", 77309411328);
-- create index "rate_windows_key_key" to table: "rate_windows"
CREATE UNIQUE INDEX `rate_windows_key_key` ON `rate_windows` (`key`);
-- create "reactions" table
CREATE TABLE `reactions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `reactor_key` text NOT NULL, `emoji` text NOT NULL, `created_at` datetime NOT NULL, `message_id` integer NOT NULL, `thread_id` integer NOT NULL, CONSTRAINT `reactions_messages_reactions` FOREIGN KEY (`message_id`) REFERENCES `messages` (`id`) ON DELETE NO ACTION, CONSTRAINT `reactions_threads_reactions` FOREIGN KEY (`thread_id`) REFERENCES `threads` (`id`) ON DELETE NO ACTION);
-- set sequence for "reactions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("reactions", 90194313216);
-- create index "reaction_message_id_reactor_key_emoji" to table: "reactions"
CREATE UNIQUE INDEX `reaction_message_id_reactor_key_emoji` ON `reactions` (`message_id`, `reactor_key`, `emoji`);
-- create "response_requests" table
CREATE TABLE `response_requests` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `page_id` integer NOT NULL, `thread_id` integer NOT NULL, `requested_at` datetime NOT NULL, `answered_at` datetime NULL);
-- set sequence for "response_requests" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("response_requests", 51539607552);
-- create index "responserequest_page_id_requested_at" to table: "response_requests"
CREATE INDEX `responserequest_page_id_requested_at` ON `response_requests` (`page_id`, `requested_at`);
-- create "saved_replies" table
CREATE TABLE `saved_replies` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `shortcut` text NOT NULL, `shortcut_key` text NOT NULL, `title` text NOT NULL, `body` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `page_id` integer NOT NULL, CONSTRAINT `saved_replies_pages_saved_replies` FOREIGN KEY (`page_id`) REFERENCES `pages` (`id`) ON DELETE NO ACTION);
-- set sequence for "saved_replies" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("saved_replies", 55834574848);
-- create index "savedreply_page_id_shortcut_key" to table: "saved_replies"
CREATE UNIQUE INDEX `savedreply_page_id_shortcut_key` ON `saved_replies` (`page_id`, `shortcut_key`);
-- create "sessions" table
CREATE TABLE `sessions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `token_hash` blob NOT NULL, `created_at` datetime NOT NULL, `expires_at` datetime NOT NULL, `user_id` integer NOT NULL, CONSTRAINT `sessions_users_sessions` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- set sequence for "sessions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("sessions", 17179869184);
-- create index "sessions_token_hash_key" to table: "sessions"
CREATE UNIQUE INDEX `sessions_token_hash_key` ON `sessions` (`token_hash`);
-- create "signing_keys" table
CREATE TABLE `signing_keys` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `key` blob NOT NULL, `created_at` datetime NOT NULL);
-- set sequence for "signing_keys" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("signing_keys", 64424509440);
-- create index "signing_keys_name_key" to table: "signing_keys"
CREATE UNIQUE INDEX `signing_keys_name_key` ON `signing_keys` (`name`);
-- create "threads" table
CREATE TABLE `threads` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `title` text NULL, `status` text NOT NULL DEFAULT ('OPEN'), `snoozed_until` datetime NULL, `priority` integer NOT NULL DEFAULT (0), `waiting_since` datetime NULL, `assignee_id` integer NULL, `labels` json NOT NULL, `created_at` datetime NOT NULL, `last_message_at` datetime NOT NULL, `snippet` text NOT NULL DEFAULT (''), `last_seq` integer NOT NULL DEFAULT (0), `visitor_read_seq` integer NOT NULL DEFAULT (0), `page_read_seq` integer NOT NULL DEFAULT (0), `visitor_last_read_at` datetime NULL, `page_last_read_at` datetime NULL, `visitor_unread` integer NOT NULL DEFAULT (0), `page_unread` integer NOT NULL DEFAULT (0), `last_visitor_message_at` datetime NULL, `awaiting_visitor` bool NOT NULL DEFAULT (false), `open_request_id` integer NULL, `away_sent` bool NOT NULL DEFAULT (false), `updated_at` datetime NOT NULL, `last_message_id` integer NULL, `page_id` integer NOT NULL, `post_id` integer NULL, `visitor_id` integer NULL, CONSTRAINT `threads_messages_last_of` FOREIGN KEY (`last_message_id`) REFERENCES `messages` (`id`) ON DELETE SET NULL, CONSTRAINT `threads_pages_threads` FOREIGN KEY (`page_id`) REFERENCES `pages` (`id`) ON DELETE NO ACTION, CONSTRAINT `threads_posts_group_chat` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE SET NULL, CONSTRAINT `threads_users_visitor_threads` FOREIGN KEY (`visitor_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- set sequence for "threads" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("threads", 21474836480);
-- create index "threads_last_message_id_key" to table: "threads"
CREATE UNIQUE INDEX `threads_last_message_id_key` ON `threads` (`last_message_id`);
-- create index "threads_post_id_key" to table: "threads"
CREATE UNIQUE INDEX `threads_post_id_key` ON `threads` (`post_id`);
-- create index "thread_page_id_visitor_id" to table: "threads"
CREATE UNIQUE INDEX `thread_page_id_visitor_id` ON `threads` (`page_id`, `visitor_id`);
-- create index "thread_page_id_last_message_at" to table: "threads"
CREATE INDEX `thread_page_id_last_message_at` ON `threads` (`page_id`, `last_message_at`);
-- create index "thread_visitor_id_last_message_at" to table: "threads"
CREATE INDEX `thread_visitor_id_last_message_at` ON `threads` (`visitor_id`, `last_message_at`);
-- create index "thread_page_id_updated_at" to table: "threads"
CREATE INDEX `thread_page_id_updated_at` ON `threads` (`page_id`, `updated_at`);
-- create index "thread_page_id_priority_last_message_at" to table: "threads"
CREATE INDEX `thread_page_id_priority_last_message_at` ON `threads` (`page_id`, `priority`, `last_message_at`);
-- create index "thread_page_id_waiting_since" to table: "threads"
CREATE INDEX `thread_page_id_waiting_since` ON `threads` (`page_id`, `waiting_since`);
-- create index "thread_snoozed_until" to table: "threads"
CREATE INDEX `thread_snoozed_until` ON `threads` (`snoozed_until`);
-- create "users" table
CREATE TABLE `users` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `handle` text NOT NULL, `handle_key` text NOT NULL, `email` text NOT NULL, `email_key` text NOT NULL, `password_hash` text NOT NULL, `created_at` datetime NOT NULL);
-- set sequence for "users" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("users", 25769803776);
-- create index "users_handle_key_key" to table: "users"
CREATE UNIQUE INDEX `users_handle_key_key` ON `users` (`handle_key`);
-- create index "users_email_key_key" to table: "users"
CREATE UNIQUE INDEX `users_email_key_key` ON `users` (`email_key`);
-- create "webhooks" table
CREATE TABLE `webhooks` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `url` text NOT NULL, `events` json NOT NULL, `secret` text NOT NULL, `active` bool NOT NULL DEFAULT (true), `created_by` integer NULL, `created_at` datetime NOT NULL, `page_id` integer NOT NULL, CONSTRAINT `webhooks_pages_webhooks` FOREIGN KEY (`page_id`) REFERENCES `pages` (`id`) ON DELETE NO ACTION);
-- set sequence for "webhooks" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("webhooks", 68719476736);
-- create "webhook_deliveries" table
CREATE TABLE `webhook_deliveries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `page_id` integer NOT NULL, `event` text NOT NULL, `event_id` text NOT NULL, `delivery_id` text NOT NULL, `payload` text NOT NULL, `status` text NOT NULL DEFAULT ('PENDING'), `attempts` integer NOT NULL DEFAULT (0), `last_status_code` integer NULL, `last_error` text NULL, `next_attempt_at` datetime NULL, `locked_until` datetime NULL, `created_at` datetime NOT NULL, `webhook_id` integer NOT NULL, CONSTRAINT `webhook_deliveries_webhooks_deliveries` FOREIGN KEY (`webhook_id`) REFERENCES `webhooks` (`id`) ON DELETE NO ACTION);
-- set sequence for "webhook_deliveries" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("webhook_deliveries", 73014444032);
-- create index "webhook_deliveries_delivery_id_key" to table: "webhook_deliveries"
CREATE UNIQUE INDEX `webhook_deliveries_delivery_id_key` ON `webhook_deliveries` (`delivery_id`);
-- create index "webhookdelivery_status_next_attempt_at" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_status_next_attempt_at` ON `webhook_deliveries` (`status`, `next_attempt_at`);
-- create index "webhookdelivery_webhook_id_created_at" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_webhook_id_created_at` ON `webhook_deliveries` (`webhook_id`, `created_at`);
