// Issue 12: people reach the verification page from their province's filing site. A link with the
// province (`/?p=330000`) names it in the heading and leads back to that site, with and without
// WebAssembly; without `p` the page is the national one.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApp, startSuite, stopSuite, ZHEJIANG } from './helpers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ZHEJIANG_SITE = 'https://beian.zj.example.cn/';
const HEADING = '浙江省备案短信核验';
const BACK = '返回浙江省备案系统';

let server;
let browser;
let rolloutDir;

before(async () => {
  // The shipped rollout, with a filing site for 浙江 (the shipped file names none).
  const shipped = await readFile(path.join(root, 'server/data/provinces.tsv'), 'utf8');
  const rollout = shipped.replace(/^330000\t(.*)$/m, `330000\t$1\t${ZHEJIANG_SITE}`);
  assert.notEqual(rollout, shipped);
  rolloutDir = await mkdtemp(path.join(tmpdir(), 'beian-provinces-'));
  const file = path.join(rolloutDir, 'provinces.tsv');
  await writeFile(file, rollout);
  ({ server, browser } = await startSuite({ env: { BEIAN_PROVINCES_FILE: file } }));
});

after(async () => {
  await stopSuite({ browser, server });
  if (rolloutDir) await rm(rolloutDir, { recursive: true, force: true });
});

async function seesTheProvince(page) {
  await assertHeading(page, HEADING);
  const back = page.getByRole('link', { name: BACK });
  assert.equal(await back.getAttribute('href'), ZHEJIANG_SITE);
  assert.equal(await page.title(), HEADING);
}

async function assertHeading(page, text) {
  const heading = page.getByRole('heading', { level: 1 });
  assert.equal((await heading.innerText()).trim(), text);
}

test('a province link names the province and links back to its site once the app has taken over', async () => {
  const page = await browser.newPage();
  await openApp(page, server, `/?p=${ZHEJIANG}`);
  await seesTheProvince(page);
  await page.getByRole('link', { name: '收不到短信？' }).click();
  await page.getByRole('heading', { level: 1, name: '收不到短信？' }).waitFor();
  await page.goBack();
  await page.getByRole('button', { name: '提交核验' }).waitFor();
  await assertHeading(page, HEADING);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('without WebAssembly the province link shows the same heading, back link and working form', async () => {
  const context = await browser.newContext();
  // As iOS Lockdown Mode: scripts run, WebAssembly does not exist.
  await context.addInitScript(() => {
    delete globalThis.WebAssembly;
  });
  const page = await context.newPage();
  await page.goto(new URL(`/?p=${ZHEJIANG}`, server.url).href);
  await seesTheProvince(page);
  await page.getByRole('button', { name: '提交核验' }).waitFor();
  assert.equal(await page.locator('[data-app="ready"]').count(), 0, 'the static page, not the app');
  await context.close();
});

test('without JavaScript the province link shows the same heading and back link, and so does the answer', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(new URL(`/?p=${ZHEJIANG}`, server.url).href);
  await seesTheProvince(page);
  await page.getByLabel('短信验证码').fill('123456');
  await page.getByLabel('手机号码').fill('13900000000');
  await page.getByLabel('证件号码后六位').fill('123456');
  await page.getByRole('button', { name: '提交核验' }).click();
  await page.waitForURL(`**/check?p=${ZHEJIANG}`);
  await assertHeading(page, HEADING);
  assert.equal(await page.getByRole('link', { name: '返回短信核验' }).getAttribute('href'), `/?p=${ZHEJIANG}`);
  await context.close();
});

test('without a province the page is the national one, with no way back to a province', async () => {
  const page = await browser.newPage();
  await openApp(page, server, '/');
  await assertHeading(page, '备案短信核验');
  assert.equal(await page.getByRole('link', { name: BACK }).count(), 0);
  await page.close();
});
