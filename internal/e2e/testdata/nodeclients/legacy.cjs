// subscriptions-transport-ws (the legacy graphql-ws protocol): the same.
const { SubscriptionClient } = require('subscriptions-transport-ws');
const WebSocket = require('ws');

const [url, token, threadId, after] = process.argv.slice(2);
const client = new SubscriptionClient(url, { connectionParams: { authorization: `Bearer ${token}` } }, WebSocket);
let n = 0;
client.request({ query: 'subscription($t: ID!, $a: Int) { messageAdded(threadId: $t, after: $a) { seq body } }', variables: { t: threadId, a: Number(after) } })
  .subscribe({
    next: (d) => { console.log(JSON.stringify(d)); if (++n >= 2) { client.close(); process.exit(0); } },
    error: (e) => { console.error('error', JSON.stringify(e)); process.exit(1); },
  });
