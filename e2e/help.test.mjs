// Issue 10: the help page's sender numbers are the ones the server is configured to send from,
// in the app (/help) and without JavaScript (/help.html) alike.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openApp } from './helpers.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** The sender list as a person reads it, on the app's help page and on the no-script one. */
async function sendersShown(server) {
  const page = await browser.newPage();
  await openApp(page, server, '/help');
  const app = await page.locator('ul.senders').innerText();
  await page.close();
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(new URL('/help.html', server.url).href);
  const noScript = await plain.locator('ul.senders').innerText();
  await context.close();
  return { app, noScript };
}

test('the help page lists the configured sender numbers, with and without JavaScript', async () => {
  const defaults = await startServer();
  const configured = await startServer({ env: { BEIAN_SENDER_CHINA_TELECOM: '1069012345' } });
  try {
    const before = await sendersShown(defaults);
    const after = await sendersShown(configured);
    for (const shown of [before.app, before.noScript]) {
      assert.match(shown, /中国电信：\s*106598051001/, shown);
    }
    for (const shown of [after.app, after.noScript]) {
      assert.match(shown, /中国电信：\s*1069012345/, shown);
      assert.doesNotMatch(shown, /106598051001/, shown);
      assert.match(shown, /中国移动：\s*106575000130/, shown);
    }
  } finally {
    await Promise.all([defaults.stop(), configured.stop()]);
  }
});
