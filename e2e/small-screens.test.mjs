// Issue 5: people verify on phones; at 360×740 and at 320 wide no page scrolls sideways.
// Issue 10: with real Chinese glyphs (fonts-noto-cjk, installed by setup) no text is clipped or
// reaches past the screen's edge either.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  submitAndWait,
  newFiling,
  linkOn,
  openApp,
  horizontalOverflow,
  clippedText,
  ZHANG_SAN,
  startSuite,
  stopSuite,
  phoneSequence,
} from './helpers.mjs';

let server;
let browser;
let key;

before(async () => {
  ({ server, browser, key } = await startSuite());
});

after(async () => {
  await stopSuite({ browser, server });
});

/** A mobile number no other test in this file uses. */
const freshPhone = phoneSequence('1394000');

/** A pending two-person filing; resolves to 张三's short link on the test server. */
async function pendingLink(reference) {
  const [zhang, li] = [freshPhone(), freshPhone()];
  const { sms } = await submitAndWait(server, key, newFiling(reference, { subjectMobile: zhang, websiteMobile: li }), [
    zhang,
    li,
  ]);
  return linkOn(server, sms[zhang]);
}

for (const viewport of [
  { width: 360, height: 740 },
  { width: 320, height: 568 },
]) {
  test(`at ${viewport.width}×${viewport.height} the form, the link page and the help page fit the width`, async () => {
    const link = await pendingLink(`narrow-${viewport.width}`);
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const overflows = {};
    const clipped = {};
    for (const [name, url, ready] of [
      ['/', '/', () => page.getByLabel('短信验证码').waitFor()],
      ['/v/<token>', link, () => page.getByLabel('证件号码后六位').waitFor()],
      ['/help', '/help', () => page.getByRole('button', { name: '重新发送短信' }).waitFor()],
    ]) {
      await openApp(page, server, url);
      await ready();
      overflows[name] = await horizontalOverflow(page);
      clipped[name] = await clippedText(page);
    }
    // The answer to a check (the longest text on the link page) fits too.
    await openApp(page, server, link);
    await page.getByLabel('证件号码后六位').fill(ZHANG_SAN.suffix);
    await page.getByRole('button', { name: '确认核验' }).click();
    await page.getByRole('status').waitFor();
    overflows['/v/<token> answered'] = await horizontalOverflow(page);
    clipped['/v/<token> answered'] = await clippedText(page);
    // A refused form: the error summary and each field's error fit too.
    await openApp(page, server, '/');
    await page.getByRole('button', { name: '提交核验' }).click();
    await page.getByRole('alert').waitFor();
    clipped['/ refused'] = await clippedText(page);

    const wide = Object.entries(overflows).filter(([, px]) => px > 0);
    assert.deepEqual(wide, [], `pages wider than ${viewport.width}px (overflow in px): ${JSON.stringify(overflows)}`);
    const cut = Object.entries(clipped).filter(([, lines]) => lines.length > 0);
    assert.deepEqual(cut, [], `text clipped or past the edge at ${viewport.width}px`);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
}
