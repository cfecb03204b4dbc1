// urql 6 (@urql/core) with its fetch exchange: queries as JSON, and
// subscriptions over the same fetch (fetchSubscriptions: an event stream).
import { Client, fetchExchange, gql } from '@urql/core';

const [url, token, threadId] = process.argv.slice(2);
const client = new Client({
  url,
  exchanges: [fetchExchange],
  fetchSubscriptions: true,
  fetchOptions: { headers: { authorization: `Bearer ${token}` } },
  preferGetMethod: false,
});
const out = (name, v) => console.log(JSON.stringify({ name, ...v }));

const q = await client.query(gql`query { viewer { handle } }`, {}).toPromise();
out('query', { handle: q.data?.viewer?.handle, error: q.error?.message });

const s = await new Promise((resolve) => {
  const { unsubscribe } = client
    .subscription(gql`subscription($t: ID!, $a: Int) { messageAdded(threadId: $t, after: $a) { seq body } }`, { t: threadId, a: 0 })
    .subscribe((r) => { unsubscribe(); resolve(r); });
});
out('subscription', { seq: s.data?.messageAdded?.seq, error: s.error?.message });
process.exit(0);
