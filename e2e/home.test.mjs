// Issue 2: the release server serves the built SPA, and the code form is there.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, api, takeCspViolations } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the home page is titled 备案短信核验 and the app takes over the code form', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(new URL('/', server.url).href);
  assert.match(await page.title(), /备案短信核验/);
  // The app marks #app data-app="ready" once its wasm has loaded and mounted over index.html's
  // static form (a broken wasm-opt shows up here as a page error and a timeout).
  await page.locator('[data-app="ready"]').waitFor({ state: 'attached', timeout: 15_000 });
  for (const label of ['短信验证码', '手机号码', '证件号码后六位']) {
    await page.getByLabel(label).waitFor({ state: 'visible' });
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('healthz answers 200', async () => {
  const response = await api(server, 'GET', '/healthz');
  assert.equal(response.status, 200);
});

test('attack: another site frames the page to trick a person into clicking, and the browser refuses', async () => {
  const page = await browser.newPage();
  // about:blank is not the server's origin: an attacker's page embedding ours.
  await page.setContent(`<iframe title="framed" src="${new URL('/', server.url).href}"></iframe>`);
  const frame = await (await page.locator('iframe').elementHandle()).contentFrame();
  assert.equal(await frame.locator('#title').count(), 0, `the framed page rendered (frame at ${frame.url()})`);
  const violations = takeCspViolations(); // the one this test provokes on purpose
  assert.ok(violations.some((line) => line.includes('frame-ancestors')), violations.join('\n'));
  await page.close();
});
