// Turns GraphQL errors into sentences for people: the server's
// extensions.code says what went wrong; the message adds the detail.
import type { CombinedError } from '@urql/core';

const byCode: Record<string, string> = {
  UNAUTHENTICATED: 'Please log in first.',
  FORBIDDEN: 'You are not allowed to do that.',
  NOT_FOUND: 'Not found.',
  MESSAGING_DISABLED: 'This page is not taking messages right now.',
  PAGE_CANNOT_INITIATE: 'Pages cannot start conversations: you can write again once the person answers.',
  REPLY_WINDOW_CLOSED: 'The reply window has closed: you can answer when the person writes again.',
  ALREADY_REPLIED_PRIVATELY: 'This comment already has a private reply.',
  PRIVATE_REPLY_EXPIRED: 'Private replies are possible only within 7 days of the comment.',
  BLOCKED: 'Messaging is blocked between you and this page.',
  RATE_LIMITED: 'Too many messages: wait a moment and try again.',
  LIMIT_EXCEEDED: 'That is over a limit.',
  CONFLICT: 'That is already taken.',
};

export function errorCode(err: CombinedError | undefined | null): string | undefined {
  const code = err?.graphQLErrors?.[0]?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

export function errorText(err: CombinedError | undefined | null): string | null {
  if (!err) return null;
  if (err.networkError) return 'Cannot reach the server. Check your connection and try again.';
  const first = err.graphQLErrors[0];
  const code = errorCode(err);
  if (code === 'BAD_USER_INPUT' || code === 'CONFLICT' || code === 'LIMIT_EXCEEDED') return first?.message ?? byCode[code];
  return (code && byCode[code]) || first?.message || err.message;
}
