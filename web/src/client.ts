// The GraphQL client: urql over HTTP (queries, mutations, file uploads as
// multipart requests) and graphql-ws for subscriptions, both on the same
// origin's /query. One client per session token: the websocket
// authenticates once, in connection_init.
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWSClient, type Client as WSClient } from 'graphql-ws';
import { ConnectionStatus } from './connection';

export interface Api {
  urql: Client;
  ws: WSClient;
  status: ConnectionStatus;
  dispose(): void;
}

export function createApi(token: string | null): Api {
  const http = new URL('/query', window.location.href);
  const wsURL = new URL(http);
  wsURL.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';
  const status = new ConnectionStatus();
  let watchdog: ReturnType<typeof setTimeout> | undefined;

  const ws = createWSClient({
    url: wsURL.toString(),
    connectionParams: () => (token ? { authorization: `Bearer ${token}` } : {}),
    // Connected from the start, so the offline indicator and resumption
    // work even before the first subscription.
    lazy: false,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    // 0.3 s, 0.6 s, 1.2 s ... capped at 3 s, with jitter.
    retryWait: (retries) =>
      new Promise((resolve) => setTimeout(resolve, Math.min(3000, 300 * 2 ** retries) + Math.random() * 300)),
    keepAlive: 10_000,
    on: {
      // A handshake can hang (a network that went away mid-connect) and
      // graphql-ws waits for it forever: give up after 6 s and retry.
      connecting: () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => ws.terminate(), 6000);
      },
      connected: () => {
        clearTimeout(watchdog);
        status.connected();
      },
      closed: () => {
        clearTimeout(watchdog);
        status.closed();
      },
      error: () => status.closed(),
    },
  });

  // The browser knows about a lost network before the socket times out:
  // drop the socket at once (graphql-ws then retries until it is back).
  const offline = () => {
    status.browser(true);
    ws.terminate();
  };
  // Back online: abandon an attempt started while offline (it may never
  // finish) and connect now instead of after the retry back-off.
  const online = () => {
    status.browser(false);
    if (!status.current.connected) ws.terminate();
  };
  window.addEventListener('offline', offline);
  window.addEventListener('online', online);

  const urql = new Client({
    url: http.toString(),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              return { unsubscribe: ws.subscribe(input, sink) };
            },
          };
        },
      }),
    ],
    fetchOptions: () => (token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    requestPolicy: 'cache-and-network',
  });

  return {
    urql,
    ws,
    status,
    dispose() {
      clearTimeout(watchdog);
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      void ws.dispose();
    },
  };
}
