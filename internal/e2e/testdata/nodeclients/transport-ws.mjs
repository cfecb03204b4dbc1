// graphql-ws (the graphql-transport-ws protocol): subscribe to a thread's
// messages after a seq and print each as a JSON line; exit after two.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, threadId, after] = process.argv.slice(2);
const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` } });
let n = 0;
client.subscribe(
  { query: 'subscription($t: ID!, $a: Int) { messageAdded(threadId: $t, after: $a) { seq body } }', variables: { t: threadId, a: Number(after) } },
  {
    next: (d) => { console.log(JSON.stringify(d)); if (++n >= 2) { client.dispose(); } },
    error: (e) => { console.error('error', JSON.stringify(e)); process.exit(1); },
    complete: () => {},
  },
);
