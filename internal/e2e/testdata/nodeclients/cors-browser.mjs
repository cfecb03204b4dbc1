// CORS from a real browser (headless Chromium): a page on an allowed
// origin and one on another origin each fetch /query with a bearer token
// (a preflighted request) and open a websocket.
import { chromium } from 'playwright-core';

const [api, allowedPage, otherPage, token, executablePath] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  for (const [name, url] of [['allowed', allowedPage], ['other', otherPage]]) {
    const page = await browser.newPage();
    await page.goto(url);
    const r = await page.evaluate(async ({ api, token }) => {
      const out = { origin: location.origin };
      try {
        const res = await fetch(api, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ viewer { handle } }' }),
        });
        out.handle = (await res.json()).data?.viewer?.handle;
      } catch (e) {
        out.fetchError = String(e);
      }
      out.websocket = await new Promise((resolve) => {
        const ws = new WebSocket(api.replace(/^http/, 'ws'), 'graphql-transport-ws');
        ws.onopen = () => { ws.close(); resolve('open'); };
        ws.onerror = () => resolve('refused');
      });
      return out;
    }, { api, token });
    console.log(JSON.stringify({ name, ...r }));
    await page.close();
  }
} finally {
  await browser.close();
}
process.exit(0);
