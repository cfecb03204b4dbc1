// graphql-sse in both of its modes: distinct connections (one POST event
// stream per operation) and single connection (PUT reservation, one GET
// stream, operations POSTed with the stream's token).
import { createClient } from 'graphql-sse';

const [url, token, threadId] = process.argv.slice(2);
const out = (name, v) => console.log(JSON.stringify({ name, ...v }));
const headers = { authorization: `Bearer ${token}` };

for (const singleConnection of [false, true]) {
  const client = createClient({ url, headers, singleConnection, retryAttempts: 0 });
  const name = singleConnection ? 'single' : 'distinct';
  // A query: one result, then complete.
  const q = await new Promise((resolve, reject) => {
    let got;
    client.subscribe({ query: '{ viewer { handle } }' }, { next: (r) => { got = r; }, error: reject, complete: () => resolve(got) });
  });
  // A subscription: the replayed message.
  const s = await new Promise((resolve, reject) => {
    const dispose = client.subscribe(
      { query: 'subscription($t: ID!, $a: Int) { messageAdded(threadId: $t, after: $a) { seq } }', variables: { t: threadId, a: 0 } },
      { next: (r) => { dispose(); resolve(r); }, error: reject, complete: () => {} },
    );
  });
  out(name, { handle: q?.data?.viewer?.handle, seq: s?.data?.messageAdded?.seq, errors: JSON.stringify(s?.errors ?? q?.errors ?? null) });
  client.dispose();
}
process.exit(0);
