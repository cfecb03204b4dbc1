// Browser tests of the team inbox in the web app (rules 35-38), on SQLite
// and on PostgreSQL: notes and mentions, snooze and priority, reactions,
// quotes, edits and unsend seen live on the other side, the edit history
// for ADMINs, who is viewing, and a send refused as STALE_THREAD.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, axeViolations, contextAs, createPage, databases, gql, launchBrowser, repoRoot, screenshot, signUp, startServer } from './harness.mjs';

const messages = (page) => page.getByRole('log', { name: 'Messages' });
const messageBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const sendButton = (page) => page.getByRole('button', { name: 'Send', exact: true });
const conversations = (page) => page.getByRole('list', { name: 'Conversations' });

const writeToPage = (base, visitor, pageId, body) => gql(base,
  'mutation($i: SendMessageToPageInput!) { sendMessageToPage(input: $i) { thread { id } } }', { i: { pageId, body } }, visitor.token)
  .then((d) => d.sendMessageToPage.thread.id);

const makeStaff = (base, owner, pageId, user, role) => gql(base,
  'mutation($i: SetPageRoleInput!) { setPageRole(input: $i) { page { id } } }', { i: { pageId, userId: user.id, role } }, owner.token);

async function openThread(page, handle, name) {
  await page.goto(`/app/pages/${handle}/inbox`);
  await conversations(page).getByRole('button', { name: new RegExp(name) }).click();
  await page.getByRole('heading', { name, level: 2 }).waitFor();
}

/** Which of names each row of the Conversations list is for, top to bottom (a row's text starts with the visitor's name). */
const rowNames = async (page, names) => (await conversations(page).getByRole('button').allTextContents())
  .map((text) => names.find((n) => text.startsWith(n)));

/** Waits until the first row of the Conversations list is name's. */
const waitForFirstRow = (page, name) => page.waitForFunction(
  (n) => document.querySelector('[aria-label="Conversations"] button')?.textContent.startsWith(n), name);

async function assertNoSeriousA11y(page, view) {
  const v = await axeViolations(page);
  assert.deepEqual(v, [], `${view}: axe-core serious/critical violations:\n${JSON.stringify(v, null, 2)}`);
}

for (const db of databases()) {
  describe(`team inbox on ${db}`, { concurrency: false }, () => {
    let server, browser, base;
    before(async () => {
      [server, browser] = await Promise.all([startServer(db), launchBrowser()]);
      base = server.url;
    });
    after(async () => {
      await browser?.close();
      await server?.stop();
    });

    it('a note with an @mention: the mentioned moderator sees it live, the visitor never does; who is viewing', async () => {
      const owner = await signUp(base, 'Nora Owner');
      const mod = await signUp(base, 'Mona Moderator');
      const visitor = await signUp(base, 'Vince Visitor');
      const shop = await createPage(base, owner, 'Note Nook');
      await makeStaff(base, owner, shop.id, mod, 'MODERATOR');
      const threadId = await writeToPage(base, visitor, shop.id, 'Is the walnut desk in stock?');

      const modCtx = await contextAs(browser, base, mod);
      const modPage = await modCtx.newPage();
      await openThread(modPage, shop.handle, 'Vince Visitor');

      const ownCtx = await contextAs(browser, base, owner);
      const own = await ownCtx.newPage();
      await openThread(own, shop.handle, 'Vince Visitor');
      // The list rows stay the same elements through everything below
      // (viewers, notes, a send): no re-render loop replaces them.
      await own.evaluate(() => {
        const list = document.querySelector('[aria-label="Conversations"]');
        window.rowWatch = { list, removed: 0 };
        new MutationObserver((ms) => ms.forEach((m) => m.removedNodes.forEach((n) => n.nodeName === 'LI' && window.rowWatch.removed++)))
          .observe(list, { childList: true });
      });
      // Each sees the other has the conversation open.
      await own.getByText('Mona Moderator is viewing').waitFor();
      await modPage.getByText('Nora Owner is viewing').waitFor();

      const visCtx = await contextAs(browser, base, visitor);
      const vis = await visCtx.newPage();
      await vis.goto(`/app/pages/${shop.handle}`);
      await messages(vis).getByText('Is the walnut desk in stock?').waitFor();

      // Typing "@" lists the page's staff; picking one writes their handle.
      const note = own.getByRole('textbox', { name: 'Note', exact: true });
      await note.pressSequentially('Can you check the warehouse, @mo');
      await own.getByRole('list', { name: 'Mention' }).getByRole('button', { name: /Mona Moderator/ }).click();
      assert.equal(await note.inputValue(), `Can you check the warehouse, @${mod.handle} `);
      await note.pressSequentially('? I think we have two.');
      await own.getByRole('button', { name: 'Add note' }).click();
      const ownNote = messages(own).getByRole('article', { name: /^Note from Nora Owner/ });
      await ownNote.getByText(`@${mod.handle}`, { exact: false }).waitFor();
      assert.equal(await note.inputValue(), '');

      // The moderator sees it live, marked as mentioning them.
      const modNote = messages(modPage).getByRole('article', { name: /^Note from Nora Owner/ });
      await modNote.getByText('mentions you').waitFor();
      await modNote.getByText(/I think we have two/).waitFor();
      await screenshot(modPage, `${db}-note-mention`);
      if (db === 'sqlite' && process.env.UPDATE_SCREENSHOTS === '1') {
        mkdirSync(join(repoRoot, 'docs', 'screenshots'), { recursive: true });
        copyFileSync(join(artifacts, `${db}-note-mention.png`), join(repoRoot, 'docs', 'screenshots', 'staff-note.png'));
      }

      // The server notified the moderator of the mention.
      const n = await gql(base, '{ viewer { notifications(first: 5) { edges { node { kind } } } } }', {}, mod.token);
      assert.ok(n.viewer.notifications.edges.some((e) => e.node.kind === 'MENTIONED'), JSON.stringify(n));

      // The visitor: a staff reply arrives, the note never does (not even after a reload).
      await messageBox(own).fill('Checking for you now.');
      await sendButton(own).click();
      await messages(vis).getByText('Checking for you now.').waitFor();
      await vis.reload();
      await messages(vis).getByText('Checking for you now.').waitFor();
      assert.equal(await messages(vis).getByText(/warehouse/).count(), 0, 'the visitor must not see the note');
      assert.equal(await vis.getByText(/^Note$/).count(), 0);
      const asVisitor = await fetch(`${base}/query`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${visitor.token}` },
        body: JSON.stringify({ query: 'query($t: ID!) { node(id: $t) { ... on Thread { notes { edges { node { body } } } } } }', variables: { t: threadId } }),
      }).then((r) => r.json());
      assert.ok(!JSON.stringify(asVisitor).includes('warehouse'), `the API showed the visitor a note: ${JSON.stringify(asVisitor)}`);

      // Closing the conversation: the other side stops showing the viewer.
      await modPage.getByRole('link', { name: 'Page and wall' }).click();
      await own.getByText('Mona Moderator is viewing').waitFor({ state: 'detached', timeout: 10_000 });
      assert.deepEqual(await own.evaluate(() => ({ connected: window.rowWatch.list.isConnected, removed: window.rowWatch.removed })),
        { connected: true, removed: 0 }, 'the Conversations list and its rows were re-rendered');
      await assertNoSeriousA11y(own, 'conversation with a note');
      await Promise.all([modCtx.close(), ownCtx.close(), visCtx.close()]);
    });

    it('priority and the inbox sorts; snooze shows SNOOZED and wakes on time', async () => {
      const owner = await signUp(base, 'Pam Owner');
      const shop = await createPage(base, owner, 'Sort Shop');
      const [ann, ben, cat] = await Promise.all(['Ann First', 'Ben Second', 'Cat Third'].map((n) => signUp(base, n)));
      for (const [v, body] of [[ann, 'A: oldest question'], [ben, 'B: middle question'], [cat, 'C: newest question']]) {
        await writeToPage(base, v, shop.id, body);
      }
      const ctx = await contextAs(browser, base, owner);
      const staff = await ctx.newPage();
      await staff.goto(`/app/pages/${shop.handle}/inbox`);
      await conversations(staff).getByRole('button', { name: /Ann First/ }).waitFor();
      const names = ['Ann First', 'Ben Second', 'Cat Third'];
      assert.deepEqual(await rowNames(staff, names), ['Cat Third', 'Ben Second', 'Ann First']);

      await conversations(staff).getByRole('button', { name: /Ben Second/ }).click();
      await staff.getByRole('combobox', { name: 'Priority', exact: true }).selectOption({ label: 'Urgent' });
      await conversations(staff).getByRole('button', { name: /Ben Second/ }).getByText('urgent priority').waitFor();
      await conversations(staff).getByRole('button', { name: /Ann First/ }).click();
      await staff.getByRole('combobox', { name: 'Priority', exact: true }).selectOption({ label: 'Low' });
      await conversations(staff).getByRole('button', { name: /Ann First/ }).getByText('low priority').waitFor();

      await staff.getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'Priority' });
      await waitForFirstRow(staff, 'Ben Second');
      assert.deepEqual(await rowNames(staff, names), ['Ben Second', 'Ann First', 'Cat Third']);
      await staff.getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'Longest waiting' });
      await waitForFirstRow(staff, 'Ann First');
      assert.deepEqual(await rowNames(staff, names), ['Ann First', 'Ben Second', 'Cat Third']);
      await screenshot(staff, `${db}-inbox-sorted-by-waiting`);
      await staff.getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'Newest activity' });
      await waitForFirstRow(staff, 'Cat Third');

      // Snooze Cat's conversation for a few seconds: SNOOZED, then Open again by itself.
      await conversations(staff).getByRole('button', { name: /Cat Third/ }).click();
      const soon = await staff.evaluate(() => {
        const d = new Date(Date.now() + 4000);
        const p = (n) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
      });
      await staff.getByLabel('Snooze until').fill(soon);
      await staff.getByRole('button', { name: 'Snooze', exact: true }).click();
      const catRow = conversations(staff).getByRole('button', { name: /Cat Third/ });
      await catRow.getByText(/^snoozed until/).waitFor();
      await staff.getByRole('status').getByText(/^Snoozed until/).waitFor();
      assert.equal(await staff.getByRole('combobox', { name: 'Conversation status' }).inputValue(), 'SNOOZED');
      await screenshot(staff, `${db}-snoozed`);
      await catRow.getByText(/^snoozed until/).waitFor({ state: 'detached', timeout: 20_000 });
      assert.equal(await staff.getByRole('combobox', { name: 'Conversation status' }).inputValue(), 'OPEN');
      await assertNoSeriousA11y(staff, 'inbox with priorities');
      await ctx.close();
    });

    it('reactions, quotes, edits and unsend are seen live on the other side; an ADMIN reads the edit history', async () => {
      const owner = await signUp(base, 'Ed Owner');
      const visitor = await signUp(base, 'Rae Visitor');
      const shop = await createPage(base, owner, 'Edit Emporium');
      await writeToPage(base, visitor, shop.id, 'Is the blue bike in stock?');

      const staffCtx = await contextAs(browser, base, owner);
      const staff = await staffCtx.newPage();
      await openThread(staff, shop.handle, 'Rae Visitor');
      const visCtx = await contextAs(browser, base, visitor);
      const vis = await visCtx.newPage();
      vis.on('dialog', (d) => d.accept());
      await vis.goto(`/app/pages/${shop.handle}`);
      await messages(vis).getByText('Is the blue bike in stock?').waitFor();

      await messageBox(staff).fill('Yes, we have two');
      await sendButton(staff).click();
      const visReply = messages(vis).getByRole('article').filter({ hasText: 'Yes, we have two' });
      await visReply.waitFor();

      // The visitor reacts; staff see it live. Pressing it again takes it back.
      await visReply.getByRole('button', { name: 'Add a reaction' }).click();
      await visReply.getByRole('button', { name: 'React with 👍' }).click();
      await visReply.getByRole('button', { name: '👍 1', pressed: true }).waitFor();
      const staffReply = messages(staff).getByRole('article').filter({ hasText: 'Yes, we have two' });
      await staffReply.getByRole('button', { name: '👍 1', pressed: false }).waitFor();
      // Staff add the same emoji: one per person, so two.
      await staffReply.getByRole('button', { name: '👍 1' }).click();
      await visReply.getByRole('button', { name: '👍 2' }).waitFor();
      await visReply.getByRole('button', { name: '👍 2' }).click();
      await staffReply.getByRole('button', { name: '👍 1', pressed: true }).waitFor();

      // Staff quote the visitor's question in their answer.
      await messages(staff).getByRole('article').filter({ hasText: 'Is the blue bike in stock?' }).getByRole('button', { name: 'Quote' }).click();
      await staff.getByText(/^Replying to Rae Visitor/).waitFor();
      await messageBox(staff).fill('Size M and L');
      await sendButton(staff).click();
      const quoted = messages(vis).getByRole('article').filter({ hasText: 'Size M and L' });
      await quoted.getByRole('blockquote').getByText('Is the blue bike in stock?').waitFor();

      // Staff edit their message: the visitor sees the new text and "edited".
      await staffReply.getByRole('button', { name: 'Edit', exact: true }).click();
      // (While it is edited the article holds the text in a textbox.)
      await messages(staff).getByRole('textbox', { name: 'Edit message' }).fill('Yes, we have three');
      await messages(staff).getByRole('button', { name: 'Save edit' }).click();
      const edited = messages(vis).getByRole('article').filter({ hasText: 'Yes, we have three' });
      await edited.getByText('edited').waitFor();
      assert.equal(await messages(vis).getByText('Yes, we have two').count(), 0);
      // Only a page's ADMIN reads what it said before.
      assert.equal(await edited.getByRole('button', { name: 'Edit history' }).count(), 0);
      const staffEdited = messages(staff).getByRole('article').filter({ hasText: 'Yes, we have three' });
      await staffEdited.getByRole('button', { name: 'Edit history' }).click();
      await staffEdited.getByRole('list', { name: 'Edit history' }).getByText(/Yes, we have two/).waitFor();
      await screenshot(staff, `${db}-edit-history`);

      // The visitor unsends a message: removed for staff too, live.
      await messageBox(vis).fill('Oops, wrong shop');
      await sendButton(vis).click();
      await messages(staff).getByText('Oops, wrong shop').waitFor();
      await messages(vis).getByRole('article').filter({ hasText: 'Oops, wrong shop' }).getByRole('button', { name: 'Unsend' }).click();
      await messages(staff).getByText('This message was removed.').waitFor();
      assert.equal(await messages(staff).getByText('Oops, wrong shop').count(), 0);
      await messages(vis).getByText('This message was removed.').waitFor();
      await screenshot(vis, `${db}-visitor-reactions-edits`);
      await assertNoSeriousA11y(vis, 'visitor conversation with reactions');
      await Promise.all([staffCtx.close(), visCtx.close()]);
    });

    it('STALE_THREAD: a colleague answered meanwhile; the app shows it and keeps the draft', async () => {
      const owner = await signUp(base, 'Sal Owner');
      const mod = await signUp(base, 'Tom Teammate');
      const visitor = await signUp(base, 'Quinn Question');
      const shop = await createPage(base, owner, 'Race Room');
      await makeStaff(base, owner, shop.id, mod, 'MODERATOR');
      const threadId = await writeToPage(base, visitor, shop.id, 'When do you open?');

      const ctx = await contextAs(browser, base, owner);
      // This browser's events are late: the teammate's reply does not
      // reach it over the websocket (as when it arrives mid-typing).
      let hold = true;
      await ctx.routeWebSocket(/\/query$/, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((m) => server.send(m));
        server.onMessage((m) => {
          if (hold && String(m).includes('We open at 10')) return;
          ws.send(m);
        });
      });
      const staff = await ctx.newPage();
      await openThread(staff, shop.handle, 'Quinn Question');
      await messages(staff).getByText('When do you open?').waitFor();
      await messageBox(staff).fill('We open at 9');

      await gql(base, 'mutation($i: SendMessageInput!) { sendMessage(input: $i) { message { seq } } }',
        { i: { threadId, body: 'We open at 10 on weekdays' } }, mod.token);
      await sendButton(staff).click();
      await staff.getByRole('alert').getByText(/Someone else wrote in this conversation/).waitFor();
      await messages(staff).getByText('We open at 10 on weekdays').waitFor();
      assert.equal(await messageBox(staff).inputValue(), 'We open at 9', 'the draft is kept');
      assert.equal(await messages(staff).getByText('We open at 9', { exact: true }).count(), 0, 'nothing was stored');
      await screenshot(staff, `${db}-stale-thread`);

      // Having seen it, sending again works.
      hold = false;
      await messageBox(staff).fill('We open at 9 on Saturdays');
      await sendButton(staff).click();
      await messages(staff).getByText('We open at 9 on Saturdays').waitFor();
      const t = await gql(base, 'query($t: ID!) { node(id: $t) { ... on Thread { messages(last: 5) { edges { node { body } } } } } }', { t: threadId }, owner.token);
      assert.deepEqual(t.node.messages.edges.map((e) => e.node.body), ['When do you open?', 'We open at 10 on weekdays', 'We open at 9 on Saturdays']);
      await ctx.close();
    });
  });
}
