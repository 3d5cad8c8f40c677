// Issue 5: "收不到短信？" — a person asks for a new SMS from the help page; the new code works and the
// old link says it no longer does.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  submitAndWait,
  cancelSubject,
  smsTo,
  waitForSms,
  linkOn,
  openApp,
  appReady,
  ZHANG_SAN,
  startSuite,
  stopSuite,
  phoneSequence,
} from './helpers.mjs';

let server;
let browser;
let key;

before(async () => {
  // No minimum interval, so a resend can follow the first SMS at once.
  ({ server, browser, key } = await startSuite({
    env: { BEIAN_RESEND_INTERVAL_SECS: '0', BEIAN_CHECKS_PER_CLIENT_PER_MINUTE: '1000' },
  }));
});

after(async () => {
  await stopSuite({ browser, server });
});

/** A mobile number no other test in this file uses. */
const freshPhone = phoneSequence('1392000');

// The same words whether or not the number and ID suffix matched a pending request.
const REQUESTED = '若手机号码和证件号码后六位与待核验的备案申请一致，新的验证码短信将在几分钟内发送，之前的验证码随即失效。';

/** From the code form, follow "收不到短信？" and ask for a new SMS for `phone`; resolves to the page. */
async function resendFromHelp(phone) {
  const page = await browser.newPage();
  await openApp(page, server, '/');
  await page.getByRole('link', { name: '收不到短信？' }).click();
  await page.getByRole('heading', { name: '收不到短信？', level: 1 }).waitFor();
  await page.getByLabel('手机号码').fill(phone);
  await page.getByLabel('证件号码后六位').fill(ZHANG_SAN.suffix);
  await page.getByRole('button', { name: '重新发送短信' }).click();
  return page;
}

test('asking from the help page sends a new SMS whose code completes the request', async () => {
  const phone = freshPhone();
  const { sms } = await submitAndWait(server, key, cancelSubject('resend-code', phone), [phone]);
  const page = await resendFromHelp(phone);
  const box = page.getByRole('status');
  await box.waitFor({ timeout: 10_000 });
  assert.equal(await box.getByText(REQUESTED, { exact: true }).count(), 1, await box.innerText());

  const fresh = await waitForSms(server.dataDir, phone, { after: 1 });
  assert.notEqual(fresh.link, sms[phone].link, 'the new SMS has a new link');

  await openApp(page, server, '/');
  await page.getByLabel('短信验证码').fill(fresh.code);
  await page.getByLabel('手机号码').fill(phone);
  await page.getByLabel('证件号码后六位').fill(ZHANG_SAN.suffix);
  await page.getByRole('button', { name: '提交核验' }).click();
  const done = page.getByRole('status');
  await done.waitFor();
  const text = '张三的短信核验完成。您的请求已完成全部核验，该请求将提交管局审核。';
  assert.equal(await done.getByText(text, { exact: true }).count(), 1, await done.innerText());
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('after a resend the old link says it no longer works and offers the manual form', async () => {
  const phone = freshPhone();
  const { sms } = await submitAndWait(server, key, cancelSubject('resend-link', phone), [phone]);
  const page = await resendFromHelp(phone);
  await page.getByRole('status').filter({ hasText: REQUESTED }).waitFor({ timeout: 10_000 });
  await waitForSms(server.dataDir, phone, { after: 1 });

  await openApp(page, server, linkOn(server, sms[phone]));
  const box = page.getByRole('alert');
  await box.waitFor({ timeout: 10_000 });
  assert.match(await box.innerText(), /失效|无效|不再/, await box.innerText());
  assert.equal(await page.getByLabel('证件号码后六位').count(), 0, 'no form on a dead link');
  await page.getByRole('link', { name: /手动输入验证码/ }).click();
  await appReady(page);
  await page.getByLabel('短信验证码').waitFor();
  await page.close();
});

test('a resend for a number with nothing pending reads the same as one that was sent, and sends nothing', async () => {
  const phone = freshPhone();
  const page = await resendFromHelp(phone);
  const box = page.getByRole('status');
  await box.waitFor({ timeout: 10_000 });
  assert.equal(await box.getByText(REQUESTED, { exact: true }).count(), 1, await box.innerText());
  assert.deepEqual(await smsTo(server.dataDir, phone), []);
  await page.close();
});
