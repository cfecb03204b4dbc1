// Test harness for the browser tests: starts the real server binary (built
// once from the repository) on a free loopback port with a fresh SQLite
// directory or a fresh PostgreSQL database, launches Debian's Chromium
// through playwright-core (no browser download), and offers API helpers to
// set up what a test is not about.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..');
export const artifacts = join(here, '..', 'test-results');
mkdirSync(artifacts, { recursive: true });

/** Databases to run on: SQLite always; PostgreSQL when PAGEINBOX_TEST_DATABASE_URL is set. */
export function databases() {
  const dbs = ['sqlite'];
  if (process.env.PAGEINBOX_TEST_DATABASE_URL) dbs.push('postgres');
  else if (process.env.PAGEINBOX_REQUIRE_POSTGRES === '1') throw new Error('PAGEINBOX_REQUIRE_POSTGRES=1 but PAGEINBOX_TEST_DATABASE_URL is not set');
  return dbs;
}

let binary;
function serverBinary() {
  if (process.env.PAGEINBOX_BIN) return process.env.PAGEINBOX_BIN;
  if (!binary) {
    binary = join(artifacts, 'pageinbox-server');
    execFileSync('go', ['build', '-o', binary, '.'], { cwd: repoRoot, stdio: 'inherit' });
  }
  return binary;
}

function pgDatabase() {
  const admin = new URL(process.env.PAGEINBOX_TEST_DATABASE_URL);
  const name = `pageinbox_web_${process.pid}_${Date.now()}`;
  execFileSync('psql', [admin.toString(), '-qc', `CREATE DATABASE ${name}`]);
  const url = new URL(admin);
  url.pathname = '/' + name;
  return {
    url: url.toString(),
    drop: () => execFileSync('psql', [admin.toString(), '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]),
  };
}

/** Starts the server; resolves with { url, stop }. */
export async function startServer(db, extraEnv = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'pageinbox-web-'));
  const pg = db === 'postgres' ? pgDatabase() : null;
  const env = {
    ...process.env,
    PAGEINBOX_ADDR: '127.0.0.1:0',
    PAGEINBOX_DATA_DIR: dataDir,
    PAGEINBOX_LOG_LEVEL: 'warn',
    // The tests sign up dozens of people from 127.0.0.1; the per-address
    // sign-up limit (rule 30) has its own Go tests.
    PAGEINBOX_RATE_SIGNUPS_PER_HOUR: '0',
    DATABASE_URL: pg ? pg.url : '',
    ...extraEnv,
  };
  env.PAGEINBOX_LOG_LEVEL = 'info'; // the "listening" line carries the port
  const proc = spawn(serverBinary(), [], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${log}`)), 60_000);
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /"msg":"pageinbox listening","addr":"([^"]+)"/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
  });
  return {
    url,
    async stop() {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
      pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A GraphQL call as a user (token) against the server, for test setup. */
export async function gql(base, query, variables = {}, token) {
  const res = await fetch(`${base}/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

let seq = 0;
/** Signs up a fresh user through the API: { id, name, handle, email, password, token }. */
export async function signUp(base, name) {
  const handle = `${name.toLowerCase().replace(/\W/g, '')}${Date.now() % 1e7}${++seq}`;
  const u = { name, handle, email: `${handle}@example.com`, password: 'correct horse battery' };
  const d = await gql(base, 'mutation($i: SignUpInput!) { signUp(input: $i) { token user { id } } }', { i: u });
  return { ...u, token: d.signUp.token, id: d.signUp.user.id };
}

export async function createPage(base, owner, name, extra = {}) {
  const handle = `${name.toLowerCase().replace(/\W/g, '')}${Date.now() % 1e7}${++seq}`;
  const d = await gql(base, 'mutation($i: CreatePageInput!) { createPage(input: $i) { page { id handle name } } }', { i: { name, handle, ...extra } }, owner.token);
  return d.createPage.page;
}

/** A browser context signed in as user (the token in localStorage, as after logging in). */
export async function contextAs(browser, base, user, options = {}) {
  const ctx = await browser.newContext({ baseURL: base, ...options });
  if (user) {
    await ctx.addInitScript((token) => {
      if (!sessionStorage.getItem('seeded')) {
        localStorage.setItem('pageinbox.token', token);
        sessionStorage.setItem('seeded', '1');
      }
    }, user.token);
  }
  return ctx;
}

const require = createRequire(import.meta.url);
const axeSource = require.resolve('axe-core/axe.min.js');

/** Runs axe-core in the page; returns serious and critical violations. */
export async function axeViolations(page) {
  await page.addScriptTag({ path: axeSource });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: false });
}
