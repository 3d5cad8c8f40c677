// Issue 5: the short link from the SMS (`/v/<token>`): the person sees whose verification it is and
// proves it with the ID suffix alone.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  submitAndWait,
  newFiling,
  cancelSubject,
  linkOn,
  openApp,
  appReady,
  holdsFocus,
  ZHANG_SAN,
  LI_SI,
  startSuite,
  stopSuite,
  phoneSequence,
} from './helpers.mjs';

let server;
let browser;
let key;

before(async () => {
  ({ server, browser, key } = await startSuite({ env: { BEIAN_CHECKS_PER_CLIENT_PER_MINUTE: '1000' } }));
});

after(async () => {
  await stopSuite({ browser, server });
});

/** A mobile number no other test in this file uses. */
const freshPhone = phoneSequence('1391000');
const masked = (phone) => `${phone.slice(0, 3)}****${phone.slice(7)}`;

/** Open the SMS's link with the app running and the landing loaded (the masked name is on the page). */
async function openLink(sms, name) {
  const page = await browser.newPage();
  await openApp(page, server, linkOn(server, sms));
  await page.getByText(name, { exact: true }).first().waitFor({ timeout: 10_000 });
  return page;
}

test('the link shows the name and the masked number, and the ID suffix completes the request', async () => {
  const phone = freshPhone();
  const { sms } = await submitAndWait(server, key, cancelSubject('link-one', phone), [phone]);
  assert.equal(new URL(sms[phone].link).origin, new URL(server.url).origin, 'SMS links point at the server');

  const page = await openLink(sms[phone], '张*');
  const body = await page.locator('body').innerText();
  assert.ok(body.includes(masked(phone)), `masked number ${masked(phone)} not on the page:\n${body}`);
  assert.ok(!body.includes(phone), 'the full number is never shown');
  assert.equal(await page.getByLabel('短信验证码').count(), 0, 'the link needs no code');

  await page.getByLabel('证件号码后六位').fill(ZHANG_SAN.suffix);
  await page.getByRole('button', { name: '确认核验' }).click();
  const box = page.getByRole('status');
  await box.waitFor();
  const text = '张三的短信核验完成。您的请求已完成全部核验，该请求将提交管局审核。';
  assert.equal(await box.getByText(text, { exact: true }).count(), 1, await box.innerText());
  await page.waitForFunction(() => document.activeElement?.closest('[role="status"]'), null, { timeout: 5_000 });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('on a two-person request the first link gives the partial text and the second the complete text', async () => {
  const [zhang, li] = [freshPhone(), freshPhone()];
  const { sms } = await submitAndWait(server, key, newFiling('link-two', { subjectMobile: zhang, websiteMobile: li }), [
    zhang,
    li,
  ]);
  for (const [phone, person, text] of [
    [zhang, { ...ZHANG_SAN, masked: '张*' }, '张三的短信核验完成。请等待其他待核验人进行短信核验。'],
    [li, { ...LI_SI, masked: '李*' }, '李四的短信核验完成。您的请求已完成全部核验，该请求将提交管局审核。'],
  ]) {
    const page = await openLink(sms[phone], person.masked);
    assert.ok((await page.locator('body').innerText()).includes('示例网站'), 'the website is named');
    await page.getByLabel('证件号码后六位').fill(person.suffix);
    await page.getByRole('button', { name: '确认核验' }).click();
    const box = page.getByRole('status');
    await box.waitFor();
    assert.equal(await box.getByText(text, { exact: true }).count(), 1, await box.innerText());
    await page.close();
  }
});

test('a wrong ID suffix on the link says how many are left and keeps the form, and the third stops the link', async () => {
  const phone = freshPhone();
  const { sms } = await submitAndWait(server, key, cancelSubject('link-wrong', phone), [phone]);
  const page = await openLink(sms[phone], '张*');
  await page.getByLabel('证件号码后六位').fill('123456');
  await page.getByRole('button', { name: '确认核验' }).click();
  const box = page.getByRole('alert');
  await box.waitFor();
  const shown = await box.innerText();
  assert.match(shown, /证件号码后六位不正确/, shown);
  assert.match(shown, /2次/, `tries left (2 of 3) not shown: "${shown}"`);
  assert.ok(await page.getByLabel('证件号码后六位').isVisible(), 'the form stays for another try');
  for (const suffix of ['234567', '345678']) {
    await page.getByLabel('证件号码后六位').fill(suffix);
    await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/checks')),
      page.getByRole('button', { name: '确认核验' }).click(),
    ]);
  }
  await page.getByRole('alert').filter({ hasText: '此链接已停用' }).waitFor({ timeout: 5_000 });
  assert.equal(await page.getByLabel('证件号码后六位').count(), 0, 'no form on a stopped link');
  await page.close();
});

test('a used link says the verification is already done and offers the manual form', async () => {
  const phone = freshPhone();
  const { sms } = await submitAndWait(server, key, cancelSubject('link-used', phone), [phone]);
  const page = await openLink(sms[phone], '张*');
  await page.getByLabel('证件号码后六位').fill(ZHANG_SAN.suffix);
  await page.getByRole('button', { name: '确认核验' }).click();
  await page.getByRole('status').waitFor();

  await page.reload();
  await appReady(page);
  const box = page.getByRole('status').filter({ hasText: '张*的短信核验已经完成，无需重复提交。' });
  await box.waitFor({ timeout: 10_000 });
  assert.equal(await page.getByLabel('证件号码后六位').count(), 0, 'no form on a used link');
  await page.getByRole('link', { name: /手动输入验证码|短信核验/ }).first().waitFor();
  await page.close();
});

test('a link with an unknown token says it does not work and leads to the manual form', async () => {
  const page = await browser.newPage();
  await openApp(page, server, '/v/no-such-token-0000000000');
  const box = page.getByRole('alert');
  await box.waitFor({ timeout: 10_000 });
  assert.match(await box.innerText(), /失效|无效|不存在/);
  await page.getByRole('link', { name: /手动输入验证码/ }).click();
  await page.getByLabel('短信验证码').waitFor();
  assert.ok(await holdsFocus(page.getByRole('heading', { level: 1 })), 'focus moves to the new page heading');
  await page.close();
});

test('nothing on the link page moves while the app takes over and the details arrive', async () => {
  const phone = freshPhone();
  const { sms } = await submitAndWait(server, key, cancelSubject('link-still', phone), [phone]);
  const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
  // Layout shifts as the browser scores them (CLS), recorded from the first paint on.
  await context.addInitScript(() => {
    window.shifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const moved = entry.sources.map((s) => `${s.node?.nodeName ?? '?'}.${s.node?.className ?? ''}`);
        window.shifts.push(`${entry.value.toFixed(3)} at ${Math.round(entry.startTime)} ms: ${moved.join(', ')}`);
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const page = await context.newPage();
  await openApp(page, server, linkOn(server, sms[phone]));
  await page.getByLabel('证件号码后六位').waitFor();
  await page.getByRole('link', { name: '收不到短信？' }).waitFor();
  assert.deepEqual(await page.evaluate(() => window.shifts), []);
  await context.close();
});
