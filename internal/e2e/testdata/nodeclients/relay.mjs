// The README's Relay setup (Clients, Relay), as printed but for node's
// WebSocket and the token's source, run against the server. Relay's
// compiler is not run here: the operations go through the environment's
// network layer (Network.create's fetch function for queries and
// mutations, graphql-ws for subscriptions) with the request parameters
// relay-compiler would emit (text, name, operationKind). That is the part
// of the setup the README prints; the store is relay-runtime's own.
import { Environment, Network, Observable, RecordSource, Store } from 'relay-runtime';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, threadId] = process.argv.slice(2);
const out = (name, v) => console.log(JSON.stringify({ name, ...v }));

const API = url;
const getToken = () => token;
const ws = createClient({
  url: API.replace(/^http/, 'ws'),
  webSocketImpl: WebSocket,
  connectionParams: () => (getToken() ? { authorization: `Bearer ${getToken()}` } : {}),
});

const fetchFn = async (params, variables) => {
  const token = getToken();
  const res = await fetch(API, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query: params.text, operationName: params.name, variables }),
  });
  return res.json();
};
const subscribeFn = (params, variables) =>
  Observable.create((sink) =>
    ws.subscribe({ query: params.text, operationName: params.name, variables }, sink));

export const environment = new Environment({
  network: Network.create(fetchFn, subscribeFn),
  store: new Store(new RecordSource()),
});

// request mirrors the params of a ConcreteRequest relay-compiler emits.
const request = (operationKind, name, text) => ({ id: null, cacheID: name, metadata: {}, name, operationKind, text });
const first = (params, variables) => new Promise((resolve, reject) => {
  const sub = environment.getNetwork().execute(params, variables, {}).subscribe({
    next: (r) => { sub.unsubscribe(); resolve(r); },
    error: reject,
  });
});

const q = await first(request('query', 'RelayThreadQuery',
  'query RelayThreadQuery($id: ID!) { viewer { id handle } node(id: $id) { __typename id } }'), { id: threadId });
out('query', { handle: q.data?.viewer?.handle, typename: q.data?.node?.__typename, node: q.data?.node?.id, error: q.errors?.[0]?.message });

const m = await first(request('mutation', 'RelaySendMutation',
  'mutation RelaySendMutation($i: SendMessageInput!) { sendMessage(input: $i) { message { id seq body } } }'),
{ i: { threadId, body: 'from relay' } });
out('mutation', { seq: m.data?.sendMessage?.message?.seq, body: m.data?.sendMessage?.message?.body, error: m.errors?.[0]?.message });

const s = await first(request('subscription', 'RelayMessagesSubscription',
  'subscription RelayMessagesSubscription($t: ID!, $a: Int) { messageAdded(threadId: $t, after: $a) { id seq body } }'),
{ t: threadId, a: 1 });
out('subscription', { seq: s.data?.messageAdded?.seq, body: s.data?.messageAdded?.body, error: s.errors?.[0]?.message });
await ws.dispose();
process.exit(0);
