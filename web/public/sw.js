// The web app's service worker: it shows the Web Push notifications the
// server sends (README "Push notifications (Web Push)") and, when one is
// clicked, brings the conversation up in an open app window or a new one.
// It is plain JavaScript served as /app/sw.js, so its scope is /app/; it
// does no caching (the app needs the live server anyway).
/* eslint-env serviceworker */

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// The payload: { notificationId, kind, threadId, pageName, snippet, createdAt }.
self.addEventListener('push', (event) => {
  let n = {};
  try {
    n = event.data ? event.data.json() : {};
  } catch {
    n = { snippet: event.data ? event.data.text() : '' };
  }
  const titles = { ASSIGNED: 'Assigned to you', MENTIONED: 'You were mentioned' };
  const title = n.pageName ? `${titles[n.kind] ? `${titles[n.kind]}: ` : ''}${n.pageName}` : 'pageinbox';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: n.snippet || '',
      // One notification per conversation: a burst replaces itself.
      tag: n.threadId || n.notificationId || 'pageinbox',
      renotify: Boolean(n.threadId),
      timestamp: n.createdAt ? Date.parse(n.createdAt) : Date.now(),
      data: n,
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const n = event.notification.data || {};
  // /app/threads/<id> finds the conversation's page and whether the
  // reader is its staff (inbox) or its visitor (the page).
  const url = new URL(n.threadId ? `threads/${encodeURIComponent(n.threadId)}` : '', self.registration.scope).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const w of windows) {
        if (w.url.startsWith(self.registration.scope) && 'focus' in w) {
          await w.focus();
          if ('navigate' in w) await w.navigate(url);
          return;
        }
      }
      await self.clients.openWindow(url);
    })(),
  );
});
