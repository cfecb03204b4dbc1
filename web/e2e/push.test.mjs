// Browser test of "Enable notifications" (Web Push) against the real server,
// on SQLite and on PostgreSQL. Headless Chromium cannot reach a real push
// service, so the page's PushManager is replaced by one that hands out a
// subscription whose endpoint is an HTTP receiver this test runs on
// 127.0.0.1 and whose keys are a real P-256 key pair made here: the server
// encrypts to it and POSTs to it exactly as it would to a push service
// (PAGEINBOX_WEBHOOK_ALLOW_PRIVATE=1 lets it use a loopback http endpoint).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { contextAs, createPage, databases, gql, launchBrowser, screenshot, signUp, startServer } from './harness.mjs';

/** A stand-in push service: records every request and lets a test wait for the next one. */
async function startReceiver() {
  const got = [];
  const waiters = [];
  const srv = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      got.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(201).end();
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${srv.address().port}`,
    got,
    async next(count, timeout = 20_000) {
      const deadline = Date.now() + timeout;
      while (got.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`push service got ${got.length} requests, want ${count}`);
        await new Promise((r) => { const t = setTimeout(r, left); waiters.push(() => { clearTimeout(t); r(); }); });
      }
      return got[count - 1];
    },
    close: () => new Promise((r) => srv.close(r)),
  };
}

/** A browser's push keys: an uncompressed P-256 public key and a 16-byte auth secret, base64url. */
function pushKeys() {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = publicKey.export({ format: 'jwk' });
  const raw = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  return { p256dh: raw.toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

/**
 * Replaces PushManager's subscribe/getSubscription in every page of the
 * context. The subscription lives in localStorage so a reload still finds
 * it, as a real browser would; what subscribe() was called with is kept
 * there too for the test to check.
 */
async function stubPushManager(ctx, sub) {
  await ctx.addInitScript((s) => {
    const make = () => ({
      endpoint: s.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true },
      toJSON: () => ({ endpoint: s.endpoint, expirationTime: null, keys: { p256dh: s.p256dh, auth: s.auth } }),
      getKey: () => null,
      unsubscribe: async () => {
        localStorage.removeItem('test.push.subscribed');
        localStorage.setItem('test.push.unsubscribed', '1');
        return true;
      },
    });
    PushManager.prototype.subscribe = async function subscribe(options) {
      const key = options.applicationServerKey;
      localStorage.setItem('test.push.options', JSON.stringify({
        userVisibleOnly: options.userVisibleOnly,
        applicationServerKey: typeof key === 'string' ? key : null,
      }));
      localStorage.setItem('test.push.subscribed', '1');
      return make();
    };
    PushManager.prototype.getSubscription = async function getSubscription() {
      return localStorage.getItem('test.push.subscribed') ? make() : null;
    };
  }, sub);
}

const devices = (base, user) => gql(base, '{ viewer { pushSubscriptions { id endpoint } } }', {}, user.token)
  .then((d) => d.viewer.pushSubscriptions);

for (const db of databases()) {
  describe(`web push on ${db}`, { concurrency: false }, () => {
    let server, browser, receiver, base;
    before(async () => {
      receiver = await startReceiver();
      [server, browser] = await Promise.all([startServer(db, { PAGEINBOX_WEBHOOK_ALLOW_PRIVATE: '1' }), launchBrowser()]);
      base = server.url;
    });
    after(async () => {
      await browser?.close();
      await server?.stop();
      await receiver?.close();
    });

    it('serves the service worker as JavaScript', async () => {
      const res = await fetch(`${base}/app/sw.js`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^text\/javascript/);
      assert.match(await res.text(), /addEventListener\('push'/);
    });

    it('enables notifications, receives a push for a new message, and turns them off', async () => {
      const owner = await signUp(base, 'Nora Notify');
      const visitor = await signUp(base, 'Vic Visitor');
      const shop = await createPage(base, owner, 'Push Bakery');
      const endpoint = `${receiver.url}/push/${owner.handle}`;
      const ctx = await contextAs(browser, base, owner);
      await ctx.grantPermissions(['notifications'], { origin: base });
      await stubPushManager(ctx, { endpoint, ...pushKeys() });
      const page = await ctx.newPage();
      try {
        await page.goto('/app/');
        await page.getByRole('button', { name: 'Enable notifications', exact: true }).click();
        await page.getByRole('button', { name: 'Turn off notifications', exact: true }).waitFor();
        await page.getByRole('status').filter({ hasText: 'Notifications are on' }).waitFor();

        // The service worker is registered for the app, and subscribe() got
        // the server's VAPID key.
        const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration('/app/'))?.scope);
        assert.equal(scope, `${base}/app/`);
        const { vapidPublicKey } = await gql(base, '{ vapidPublicKey }');
        const options = JSON.parse(await page.evaluate(() => localStorage.getItem('test.push.options')));
        assert.deepEqual(options, { userVisibleOnly: true, applicationServerKey: vapidPublicKey });
        assert.deepEqual((await devices(base, owner)).map((d) => d.endpoint), [endpoint]);

        // A visitor writes to the page: the server pushes to the device.
        const before = receiver.got.length;
        const sent = await gql(base, 'mutation($i: SendMessageToPageInput!) { sendMessageToPage(input: $i) { thread { id } } }',
          { i: { pageId: shop.id, body: 'Do you have rye bread today?' } }, visitor.token);
        const push = await receiver.next(before + 1);
        assert.equal(push.method, 'POST');
        assert.equal(push.url, `/push/${owner.handle}`);
        assert.equal(push.headers['content-encoding'], 'aes128gcm');
        assert.equal(push.headers.ttl, '86400');
        assert.equal(push.headers.urgency, 'high');
        assert.match(push.headers.authorization, /^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=/);
        // RFC 8188 header: salt (16), record size (4), key id length (1) = 65, the server's key.
        assert.ok(push.body.length > 86, `body of ${push.body.length} bytes`);
        assert.equal(push.body[20], 65);
        assert.equal(push.body[21], 4);
        assert.ok(!push.body.includes(Buffer.from('rye bread')), 'the body is encrypted');

        // The service worker shows a push as a notification: the page's
        // name and the snippet, one per conversation (Chromium's DevTools
        // protocol delivers a push to it without a push service).
        const cdp = await ctx.newCDPSession(page);
        const registrationId = await new Promise((resolve) => {
          cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
            const r = registrations.find((x) => x.scopeURL === `${base}/app/` && !x.isDeleted);
            if (r) resolve(r.registrationId);
          });
          cdp.send('ServiceWorker.enable');
        });
        const payload = { notificationId: 'n1', kind: 'NEW_MESSAGE', threadId: 't1', pageName: 'Push Bakery', snippet: 'Fresh rye', createdAt: new Date().toISOString() };
        await cdp.send('ServiceWorker.deliverPushMessage', { origin: base, registrationId, data: JSON.stringify(payload) });
        const shown = await page.waitForFunction(async () => {
          const ns = await (await navigator.serviceWorker.ready).getNotifications();
          return ns.length > 0 && ns.map((n) => ({ title: n.title, body: n.body, tag: n.tag }));
        }, null, { timeout: 10_000 });
        assert.deepEqual(await shown.jsonValue(), [{ title: 'Push Bakery', body: 'Fresh rye', tag: 't1' }]);
        await cdp.detach();

        // Where a clicked notification lands: the conversation in the inbox.
        const threadId = sent.sendMessageToPage.thread.id;
        await page.goto(`/app/threads/${encodeURIComponent(threadId)}`);
        await page.waitForURL((u) => u.pathname === `/app/pages/${shop.handle}/inbox` && u.searchParams.get('thread') === threadId);
        await page.getByText('Do you have rye bread today?').first().waitFor();

        // After a reload the app still knows notifications are on; turning
        // them off unregisters the device and unsubscribes the browser.
        await page.reload();
        await page.getByRole('button', { name: 'Turn off notifications', exact: true }).click();
        await page.getByRole('button', { name: 'Enable notifications', exact: true }).waitFor();
        assert.deepEqual(await devices(base, owner), []);
        assert.equal(await page.evaluate(() => localStorage.getItem('test.push.unsubscribed')), '1');
      } catch (e) {
        await screenshot(page, `${db}-push-failed`);
        throw e;
      } finally {
        await ctx.close();
      }
    });
  });
}
