// urql 6 (@urql/core) against the server: queries over its fetch exchange,
// and subscriptions three ways: fetchSubscriptions over server-sent events
// (the README's setup), fetchSubscriptions over Apollo's multipart HTTP
// protocol, and subscriptionExchange over graphql-ws. Each subscription case
// prints the response content type (or "websocket") so a silent fallback to
// another transport fails the test.
import { Client, fetchExchange, subscriptionExchange, gql } from '@urql/core';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, threadId] = process.argv.slice(2);
// Unsubscribing aborts urql's fetch; in node the aborted body read rejects
// with nobody listening (urql/wonka, not the server). Only that AbortError
// is ignored; anything else still fails the script.
process.on('unhandledRejection', (e) => {
  if (e?.name !== 'AbortError') throw e;
});
const out = (name, v) => console.log(JSON.stringify({ name, ...v }));
const MESSAGES = gql`subscription($t: ID!, $a: Int) { messageAdded(threadId: $t, after: $a) { seq body } }`;

// recordingFetch remembers the content type of the last subscription answer.
let transport = '';
const recordingFetch = async (input, init) => {
  const res = await fetch(input, init);
  transport = res.headers.get('content-type')?.split(';')[0] ?? '';
  return res;
};
const first = (client) => new Promise((resolve) => {
  const { unsubscribe } = client
    .subscription(MESSAGES, { t: threadId, a: 0 })
    .subscribe((r) => { unsubscribe(); resolve(r); });
});

// The README's setup: fetch exchange, fetchSubscriptions (event stream).
{
  const client = new Client({
    url,
    exchanges: [fetchExchange],
    fetchSubscriptions: true,
    fetch: recordingFetch,
    fetchOptions: { headers: { authorization: `Bearer ${token}` } },
    preferGetMethod: false,
  });
  const q = await client.query(gql`query { viewer { handle } }`, {}).toPromise();
  out('query', { handle: q.data?.viewer?.handle, error: q.error?.message });
  const s = await first(client);
  out('subscription', { seq: s.data?.messageAdded?.seq, transport, error: s.error?.message });
}

// fetchSubscriptions over Apollo's multipart protocol: the same client,
// asking for multipart/mixed only.
{
  const client = new Client({
    url,
    exchanges: [fetchExchange],
    fetchSubscriptions: true,
    fetch: recordingFetch,
    fetchOptions: { headers: { authorization: `Bearer ${token}`, accept: 'multipart/mixed;subscriptionSpec="1.0", application/json' } },
  });
  transport = '';
  const s = await first(client);
  out('multipart-subscription', { seq: s.data?.messageAdded?.seq, transport, error: s.error?.message });
}

// subscriptionExchange over graphql-ws, as urql's docs set it up.
{
  const ws = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    shouldRetry: (e) => e?.code !== 4403,
  });
  const client = new Client({
    url,
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return { subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }) };
        },
      }),
    ],
    fetchOptions: { headers: { authorization: `Bearer ${token}` } },
  });
  const s = await first(client);
  out('ws-subscription', { seq: s.data?.messageAdded?.seq, transport: 'websocket', error: s.error?.message });
  await ws.dispose();
}
process.exit(0);
