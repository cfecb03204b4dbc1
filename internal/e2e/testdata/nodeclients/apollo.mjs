// Apollo Client 4 against the server, the way an app sets it up: HttpLink
// (queries, and subscriptions over multipart HTTP), BatchHttpLink,
// PersistedQueryLink and GraphQLWsLink. Prints one JSON line per check.
import { ApolloClient, InMemoryCache, HttpLink, gql, ApolloLink } from '@apollo/client';
import { BatchHttpLink } from '@apollo/client/link/batch-http';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createHash } from 'node:crypto';
import { OperationTypeNode } from 'graphql';

const [url, token, threadId] = process.argv.slice(2);
const headers = { authorization: `Bearer ${token}` };
const sent = []; // what each HTTP request carried
const recordingFetch = async (input, init) => {
  const body = JSON.parse(init.body);
  sent.push(Array.isArray(body) ? body.map((b) => (b.query ? 'full' : 'hash')) : body.query ? 'full' : 'hash');
  return fetch(input, init);
};
const out = (name, v) => console.log(JSON.stringify({ name, ...v }));
const VIEWER = gql`query Viewer { viewer { handle } }`;
const THREAD = gql`query Thread($id: ID!) { node(id: $id) { id } }`;
const MESSAGES = gql`subscription Messages($t: ID!, $a: Int) { messageAdded(threadId: $t, after: $a) { seq body } }`;

const first = (observable) => new Promise((resolve, reject) => {
  const sub = observable.subscribe({
    next: (r) => { sub.unsubscribe(); resolve(r); },
    error: reject,
  });
});

// HttpLink: a query, and a subscription over multipart HTTP.
{
  const client = new ApolloClient({ link: new HttpLink({ uri: url, headers }), cache: new InMemoryCache() });
  const q = await client.query({ query: VIEWER });
  out('http-query', { handle: q.data?.viewer?.handle, error: q.error?.message });
  const s = await first(client.subscribe({ query: MESSAGES, variables: { t: threadId, a: 0 } }));
  out('http-multipart-subscription', { seq: s.data?.messageAdded?.seq, error: s.error?.message });
}

// BatchHttpLink: two queries, one HTTP request.
{
  sent.length = 0;
  const client = new ApolloClient({ link: new BatchHttpLink({ uri: url, headers, fetch: recordingFetch, batchMax: 5, batchInterval: 20 }), cache: new InMemoryCache() });
  const [a, b] = await Promise.all([client.query({ query: VIEWER }), client.query({ query: THREAD, variables: { id: threadId } })]);
  out('batch', { requests: sent.length, handle: a.data?.viewer?.handle, thread: b.data?.node?.id, error: a.error?.message ?? b.error?.message });
}

// PersistedQueryLink: the hash first, the full text after PERSISTED_QUERY_NOT_FOUND, then the hash alone.
{
  sent.length = 0;
  const sha256 = (q) => createHash('sha256').update(q).digest('hex');
  const link = new PersistedQueryLink({ sha256 }).concat(new HttpLink({ uri: url, headers, fetch: recordingFetch }));
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const a = await client.query({ query: VIEWER, fetchPolicy: 'network-only' });
  const b = await client.query({ query: VIEWER, fetchPolicy: 'network-only' });
  out('persisted', { sent, handle: a.data?.viewer?.handle, again: b.data?.viewer?.handle, error: a.error?.message ?? b.error?.message });
}

// GraphQLWsLink: a subscription over graphql-ws.
{
  const ws = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: headers });
  const client = new ApolloClient({ link: new GraphQLWsLink(ws), cache: new InMemoryCache() });
  const s = await first(client.subscribe({ query: MESSAGES, variables: { t: threadId, a: 0 } }));
  out('ws-subscription', { seq: s.data?.messageAdded?.seq, error: s.error?.message });
  await ws.dispose();
}
// The README's setup (Clients, Apollo Client 4), as printed but for node's
// WebSocket and the token's source: a query over PersistedQueryLink +
// HttpLink, a subscription over GraphQLWsLink.
{
  const API = url;
  const getToken = () => token;
  const sha256 = async (text) =>
    [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))]
      .map((b) => b.toString(16).padStart(2, '0')).join('');

  const http = new PersistedQueryLink({ sha256 }).concat(new HttpLink({
    uri: API,
    fetch: (uri, init) => {
      const token = getToken();
      return fetch(uri, { ...init, headers: { ...init.headers, ...(token && { authorization: `Bearer ${token}` }) } });
    },
  }));
  const wsClient = createClient({
    url: API.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: () => (getToken() ? { authorization: `Bearer ${getToken()}` } : {}),
    shouldRetry: (e) => e?.code !== 4403,
  });
  const ws = new GraphQLWsLink(wsClient);
  const client = new ApolloClient({
    link: ApolloLink.split((op) => op.operationType === OperationTypeNode.SUBSCRIPTION, ws, http),
    cache: new InMemoryCache(),
  });
  const q = await client.query({ query: VIEWER });
  const s = await first(client.subscribe({ query: MESSAGES, variables: { t: threadId, a: 0 } }));
  out('readme-setup', { handle: q.data?.viewer?.handle, seq: s.data?.messageAdded?.seq, error: q.error?.message ?? s.error?.message });
  await wsClient.dispose();
}
process.exit(0);
