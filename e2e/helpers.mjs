// What every end-to-end test needs: the real release server on a free port with its own data
// directory, headless Debian Chromium, the provider API, and the console SMS outbox
// (<data dir>/sms.jsonl), which stands in for people's phones.
//
// Paths come from the environment `cargo xtask test` sets, with the same defaults, so a single
// file also runs on its own: `node --test e2e/home.test.mjs` after a release build.
//
// With BEIAN_E2E_CLUSTER set (to the xtask binary; `cargo xtask test` does this in a step of its
// own), each "server" is `xtask cluster`: three replicas on a fresh PostgreSQL database behind
// nginx, reached only through nginx; the data directory then holds one replica-N/ each, and the
// phones are the union of their sms.jsonl files.

import { afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const SERVER_BIN =
  process.env.BEIAN_SERVER_BIN ?? path.join(root, 'target/server/beian-verify-server');
export const STATIC_DIR = process.env.BEIAN_STATIC_DIR ?? path.join(root, 'dist');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CLUSTER = process.env.BEIAN_E2E_CLUSTER;
const POSTGRES_URL = process.env.BEIAN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// As root on a closed network: no sandbox, and none of Chromium's own calls home.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// A cluster makes a database and starts four processes; it stops them all and drops the database.
const STARTUP_TIMEOUT_MS = CLUSTER ? 60_000 : 20_000;
const STOP_TIMEOUT_MS = CLUSTER ? 30_000 : 5_000;

/** Servers still running; killed if the test process exits without stopping them. */
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A fresh, empty data directory (SQLite file, secret key, sms.jsonl) for one test file. */
export async function makeDataDir() {
  return mkdtemp(path.join(tmpdir(), 'beian-e2e-'));
}

/** The server's environment: only our BEIAN_* settings, never ones from the caller's shell. */
function serverEnv(dataDir, extra = {}) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('BEIAN_')),
  );
  return {
    ...env,
    BEIAN_ADDR: '127.0.0.1:0',
    BEIAN_METRICS_ADDR: 'off',
    BEIAN_DATA_DIR: dataDir,
    BEIAN_STATIC_DIR: STATIC_DIR,
    ...extra,
  };
}

const stripAnsi = (text) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** How to start a server: the binary itself, or an `xtask cluster` of three replicas on a free port. */
function serverCommand(dataDir, args) {
  if (!CLUSTER) return { command: SERVER_BIN, argv: ['serve', ...args], listening: /listening on (http:\/\/[^\s/]+)/ };
  const argv = ['cluster', '--no-build', '--no-demo', '--temporary-database', '--database', POSTGRES_URL];
  argv.push('--port', '0', '--data-dir', dataDir, '--', ...args);
  // Its own line starts with `listening on`; the replicas' lines come labelled (`r1 | listening on …`).
  return { command: CLUSTER, argv, listening: /^listening on (http:\/\/[^\s/]+)/m };
}

/**
 * Start `beian-verify-server serve [args]` on a free port (or a cluster of them, see above).
 * Resolves once it prints `listening on http://<addr>`, to { url, dataDir, output(), stop() }.
 * Call stop() in `after`. A data directory made here is deleted by stop(); one passed in is kept.
 */
export async function startServer({ args = [], env = {}, dataDir } = {}) {
  const ownsDataDir = dataDir === undefined;
  dataDir ??= await makeDataDir();
  const { command, argv, listening: listeningLine } = serverCommand(dataDir, args);
  const child = spawn(command, argv, {
    env: serverEnv(dataDir, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  exited.then(() => running.delete(child));

  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`no "listening on" within ${STARTUP_TIMEOUT_MS} ms`), STARTUP_TIMEOUT_MS);
    function fail(why) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${command} ${argv[0]}: ${why}\n--- its output ---\n${output}`));
    }
    function onData(chunk) {
      output += stripAnsi(chunk.toString());
      const found = output.match(listeningLine);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    }
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before listening`));
  });
  let url;
  try {
    url = await listening;
  } catch (error) {
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
  }

  // One-off commands (create-provider) reach a cluster's database with its key.
  const database = output.match(/^database (\S+);/m)?.[1];
  const commandEnv = CLUSTER ? { BEIAN_DATABASE_URL: database, BEIAN_SECRET_KEY_FILE: path.join(dataDir, 'secret.key') } : {};
  return { url, dataDir, commandEnv, output: () => output, stop };
}

/**
 * Launch Debian's Chromium headless; Playwright gives it a fresh profile. Every context it opens
 * (browser.newPage() opens one too) reports Content-Security-Policy violations, which fail the test.
 */
export async function launchBrowser() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await reportCspViolations(context);
    return context;
  };
  return browser;
}

// ---------------------------------------------------------------------------------------------
// The server always sends a CSP without 'unsafe-inline'. Whatever it blocks in our own pages (the
// Trunk loader, the inlined CSS, the wasm, a style the app sets) is a bug: every test fails on it.

const CSP_MESSAGE = /Content[- ]Security[- ]Policy/i;

/** Violations seen since the last test ended, as readable lines. */
const cspViolations = [];

/**
 * Chromium logs each violation to the console (also with JavaScript off); the page's
 * `securitypolicyviolation` event adds which directive blocked what, where.
 */
async function reportCspViolations(context) {
  context.on('console', (message) => {
    if (CSP_MESSAGE.test(message.text())) cspViolations.push(`${message.page()?.url() ?? '?'}: ${message.text()}`);
  });
  await context.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (event) =>
        console.error(
          `Content-Security-Policy violation: ${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} ` +
            `at ${event.sourceFile}:${event.lineNumber} (${event.sample})`,
        ),
      true,
    );
  });
}

/** Takes the violations seen so far (for a test that provokes one on purpose). */
export function takeCspViolations() {
  return cspViolations.splice(0);
}

afterEach(() => {
  assert.deepEqual(takeCspViolations(), [], 'Content-Security-Policy violations in this test');
});

/**
 * Create an access provider in the server's database with `create-provider --name NAME`, which
 * prints `api_key=<key>` once on stdout (among its log lines); resolves to the key.
 */
export async function createProvider(server, name = 'e2e provider') {
  const { stdout } = await promisify(execFile)(SERVER_BIN, ['create-provider', '--name', name], {
    env: serverEnv(server.dataDir, server.commandEnv),
  });
  const key = stripAnsi(stdout).match(/^api_key=(\S+)$/m)?.[1];
  if (!key) throw new Error(`create-provider printed no api_key=: ${JSON.stringify(stdout)}`);
  return key;
}

/** One HTTP request to the server; resolves to { status, headers, body } (body parsed if JSON). */
export async function api(server, method, urlPath, { body, headers = {} } = {}) {
  const response = await fetch(new URL(urlPath, server.url), {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const parsed = type.includes('json') && text !== '' ? JSON.parse(text) : text;
  return { status: response.status, headers: response.headers, body: parsed };
}

/** Submit a filing request (`NewFiling`) as an access provider; resolves like api(). */
export async function submitFiling(server, key, filing, { idempotencyKey } = {}) {
  const headers = { authorization: `Bearer ${key}` };
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  return api(server, 'POST', '/api/v1/filings', { body: filing, headers });
}

/**
 * Every SMS the console gateway has sent, oldest first: {to, sender, carrier, text, link, code, sent_at}.
 * For a cluster, what all its replicas (`replica-N/`) sent.
 */
export async function readSms(dataDir) {
  const replicas = (await readdir(dataDir).catch(() => [])).filter((name) => /^replica-\d+$/.test(name));
  const files = [dataDir, ...replicas.map((name) => path.join(dataDir, name))].map((dir) => path.join(dir, 'sms.jsonl'));
  const sent = (await Promise.all(files.map(readSmsFile))).flat();
  return replicas.length === 0 ? sent : sent.sort((a, b) => Date.parse(a.sent_at) - Date.parse(b.sent_at));
}

async function readSmsFile(file) {
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  // A line still being appended has no newline yet: read complete lines only.
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
}

/** Same number, whether written 13800138000, +86 138 0013 8000 or 8613800138000. */
export function samePhone(a, b) {
  const national = (phone) => {
    const digits = String(phone).replace(/\D/g, '');
    return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
  };
  return national(a) === national(b);
}

/** The SMS sent to `phone`, oldest first. */
export async function smsTo(dataDir, phone) {
  return (await readSms(dataDir)).filter((sms) => samePhone(sms.to, phone));
}

/** The latest SMS sent to `phone`, or undefined. */
export async function latestSms(dataDir, phone) {
  return (await smsTo(dataDir, phone)).at(-1);
}

/**
 * Wait until more than `after` SMS have gone to `phone` and resolve to the latest one.
 * For a resend: `const before = (await smsTo(dir, phone)).length; ...; waitForSms(dir, phone, { after: before })`.
 */
export async function waitForSms(dataDir, phone, { after = 0, timeoutMs = 10_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const sent = await smsTo(dataDir, phone);
    if (sent.length > after) return sent.at(-1);
    if (Date.now() > deadline) {
      throw new Error(`no SMS to ${phone} within ${timeoutMs} ms (${sent.length} before, waiting for more than ${after})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// ---------------------------------------------------------------------------------------------
// People, filings and pages for the user-path tests (verify, resend, no-script, layout, a11y).

/** The two people of the example filing; ID suffixes 31002X and 010014. */
export const ZHANG_SAN = { name: '张三', id_type: 'resident_id', id_number: '11010519491231002X', suffix: '31002X' };
export const LI_SI = { name: '李四', id_type: 'resident_id', id_number: '440524188001010014', suffix: '010014' };

/** A person as `NewFiling` spells one: name, mobile, ID type and full ID number. */
function principal({ name, id_type, id_number }, mobile) {
  return { name, mobile, id_type, id_number };
}

/** 浙江's GB/T 2260 code: it verifies by SMS (since 2018-09-10 in the shipped rollout). */
export const ZHEJIANG = '330000';

/** A new filing (新增备案): 张三 at `subjectMobile` for the subject, 李四 at `websiteMobile` for the website. */
export function newFiling(reference, { subjectMobile, websiteMobile }) {
  return {
    business_type: 'new_filing',
    province: ZHEJIANG,
    reference,
    subject: { name: '示例科技有限公司', principal: principal(ZHANG_SAN, subjectMobile) },
    websites: [{ name: '示例网站', domains: ['example.cn'], principal: principal(LI_SI, websiteMobile) }],
  };
}

/** A subject cancellation (注销主体): only 张三, at `mobile`, has to verify. */
export function cancelSubject(reference, mobile) {
  return {
    business_type: 'cancel_subject',
    province: ZHEJIANG,
    reference,
    subject: { name: '示例科技有限公司', principal: principal(ZHANG_SAN, mobile) },
  };
}

/**
 * Submit `filing`, wait for the SMS to each of `phones`, and resolve to
 * `{ filing, sms: { [phone]: sms } }`. Throws with the server's answer if the submit is refused.
 */
export async function submitAndWait(server, key, filing, phones) {
  const response = await submitFiling(server, key, filing);
  if (response.status !== 201) {
    throw new Error(`filing refused: ${response.status} ${JSON.stringify(response.body)}`);
  }
  const sms = {};
  for (const phone of phones) sms[phone] = await waitForSms(server.dataDir, phone);
  return { filing: response.body, sms };
}

/** An SMS's short link, on the test server's origin (the server's public URL defaults to it anyway). */
export function linkOn(server, sms) {
  return new URL(new URL(sms.link).pathname, server.url).href;
}

/** A 6-digit code that is not `code`. */
export function wrongCode(code) {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

/**
 * Wait until the app has replaced index.html's static page: the app marks its root
 * `data-app="ready"` once mounted (src/mount.rs). Before that, the labels already exist on the
 * static form, whose submit would post to the server's no-script page instead.
 */
export async function appReady(page) {
  await page.locator('[data-app="ready"]').waitFor({ state: 'attached', timeout: 15_000 });
}

/**
 * Open `urlPath` on the server and wait until the app has taken over (appReady).
 * Page errors are collected in `page.errors` (assert they stay empty).
 */
export async function openApp(page, server, urlPath) {
  if (!page.errors) {
    page.errors = [];
    page.on('pageerror', (error) => page.errors.push(error.message));
  }
  await page.goto(new URL(urlPath, server.url).href);
  await appReady(page);
}

export const AXE_PATH = path.join(root, 'e2e/node_modules/axe-core/axe.min.js');

/** Run axe-core on the page as it is now; resolves to its violations (empty when clean). */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    // Evaluated by the test tool, like a console: the page's CSP rightly refuses the inline
    // <script> that page.addScriptTag would add.
    await page.evaluate(await readFile(AXE_PATH, 'utf8'));
  }
  const results = await page.evaluate(() => window.axe.run());
  return results.violations;
}

/** Violations as readable lines: rule, impact, help, and each offending node's selector and summary. */
export function describeViolations(violations) {
  return violations
    .map((v) =>
      [
        `${v.id} (${v.impact}): ${v.help}`,
        ...v.nodes.map((node) => `  ${node.target.join(' ')}\n    ${(node.failureSummary ?? '').replace(/\n/g, '\n    ')}`),
      ].join('\n'),
    )
    .join('\n');
}

/** How far the page is wider than the viewport (0 when there is no horizontal scroll). */
export async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/**
 * Text that does not fit: each line box of visible text that reaches past the viewport's left or
 * right edge, and each element that hides overflowing content (overflow other than visible) while
 * its content is larger than its box. Resolves to readable lines (empty when everything fits).
 * Screen-reader-only text (.visually-hidden) is clipped on purpose and skipped.
 */
export async function clippedText(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found = [];
    const describe = (element) => `<${element.tagName.toLowerCase()}${element.className ? ` class="${element.className}"` : ''}>`;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const element = node.parentElement;
      if (!text || !element || element.closest('.visually-hidden, script, style')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width > 0 && (rect.left < -0.5 || rect.right > width + 0.5)) {
          found.push(`${describe(element)} "${text.slice(0, 24)}" spans ${Math.round(rect.left)}–${Math.round(rect.right)} px of ${width}`);
        }
      }
      for (let box = element; box && box !== document.body; box = box.parentElement) {
        const style = getComputedStyle(box);
        const hides = style.overflowX !== 'visible' || style.overflowY !== 'visible';
        if (hides && (box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1)) {
          found.push(`${describe(box)} clips "${text.slice(0, 24)}" (${box.scrollWidth}×${box.scrollHeight} in ${box.clientWidth}×${box.clientHeight})`);
        }
      }
    }
    return [...new Set(found)];
  });
}

/** Whether the element `locator` points at has focus, or contains what has. */
export async function holdsFocus(locator) {
  return locator.evaluate((element) => element.contains(document.activeElement));
}

/**
 * What each end-to-end file starts with: its own server (fresh data directory), a browser and a
 * provider key. Call from `before`; hand the result to `stopSuite` from `after`.
 */
export async function startSuite(options = {}) {
  const server = await startServer(options);
  const [browser, key] = await Promise.all([launchBrowser(), createProvider(server)]);
  return { server, browser, key };
}

export async function stopSuite({ browser, server } = {}) {
  await browser?.close();
  await server?.stop();
}

/** Mobile numbers `<prefix>0001`, `<prefix>0002`, …: give each file its own prefix. */
export function phoneSequence(prefix) {
  let last = 0;
  return () => `${prefix}${String(++last).padStart(4, '0')}`;
}
