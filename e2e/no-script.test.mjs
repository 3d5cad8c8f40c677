// Issue 5: browsers without JavaScript (or WebAssembly: iOS Lockdown Mode, old WebViews) get
// index.html's plain forms, which post to the server; its small HTML page carries the outcome.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  submitAndWait,
  cancelSubject,
  waitForSms,
  linkOn,
  ZHANG_SAN,
  startSuite,
  stopSuite,
  phoneSequence,
} from './helpers.mjs';

let server;
let browser;
let context;
let key;

before(async () => {
  ({ server, browser, key } = await startSuite({
    env: { BEIAN_RESEND_INTERVAL_SECS: '0', BEIAN_CHECKS_PER_CLIENT_PER_MINUTE: '1000' },
  }));
  context = await browser.newContext({ javaScriptEnabled: false });
});

after(async () => {
  await context?.close();
  await stopSuite({ browser, server });
});

/** A mobile number no other test in this file uses. */
const freshPhone = phoneSequence('1393000');

const COMPLETE = '张三的短信核验完成。您的请求已完成全部核验，该请求将提交管局审核。';

/** Fill the static code form and submit it; resolves to the server's answer page's response. */
async function postCheckForm(page, { code, phone, suffix }) {
  await page.getByLabel('短信验证码').fill(code);
  await page.getByLabel('手机号码').fill(phone);
  await page.getByLabel('证件号码后六位').fill(suffix);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/check'),
    page.getByRole('button', { name: '提交核验' }).click(),
  ]);
  await page.waitForURL('**/check');
  return response;
}

/** The text of the answer page's result box (role status or alert). */
async function resultText(page, role) {
  const box = page.getByRole(role);
  await box.waitFor({ timeout: 5_000 });
  return box.innerText();
}

test('without JavaScript the code form posts and the answer page shows the outcome', async () => {
  const phone = freshPhone();
  const { sms } = await submitAndWait(server, key, cancelSubject('noscript-form', phone), [phone]);
  const page = await context.newPage();
  await page.goto(new URL('/', server.url).href);
  const response = await postCheckForm(page, { code: sms[phone].code, phone, suffix: ZHANG_SAN.suffix });
  assert.equal(response.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/check');
  const shown = await resultText(page, 'status');
  assert.ok(shown.includes(COMPLETE), shown);
  await page.close();
});

test('without JavaScript the SMS link opens the manual form, which completes the request', async () => {
  const phone = freshPhone();
  const { sms } = await submitAndWait(server, key, cancelSubject('noscript-link', phone), [phone]);
  const page = await context.newPage();
  const opened = await page.goto(linkOn(server, sms[phone]));
  assert.equal(opened.status(), 200);
  await postCheckForm(page, { code: sms[phone].code, phone, suffix: ZHANG_SAN.suffix });
  const shown = await resultText(page, 'status');
  assert.ok(shown.includes(COMPLETE), shown);
  await page.close();
});

test('without JavaScript a refused form comes back holding what was typed, each error beside its field', async () => {
  const phone = freshPhone();
  const { sms } = await submitAndWait(server, key, cancelSubject('noscript-short', phone), [phone]);
  const page = await context.newPage();
  await page.goto(new URL('/', server.url).href);
  const response = await postCheckForm(page, { code: sms[phone].code.slice(0, 5), phone, suffix: ZHANG_SAN.suffix });
  assert.equal(response.status(), 422);
  // The summary on top lists the refusal; the code field carries it and is marked invalid.
  const summary = await resultText(page, 'alert');
  assert.match(summary, /请修改以下信息后重新提交：[\s\S]*短信验证码应为6位数字。/, summary);
  const code = page.getByLabel('短信验证码');
  assert.equal(await code.getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#f-code-error').innerText(), /短信验证码应为6位数字。/);
  assert.equal(await page.locator('#f-phone-error').count(), 0);
  // Nothing typed is lost: fix the code only, and the same form completes the request.
  assert.equal(await code.inputValue(), sms[phone].code.slice(0, 5));
  assert.equal(await page.getByLabel('手机号码').inputValue(), phone);
  assert.equal(await page.getByLabel('证件号码后六位').inputValue(), ZHANG_SAN.suffix);
  await code.fill(sms[phone].code);
  const [again] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/check'),
    page.getByRole('button', { name: '提交核验' }).click(),
  ]);
  assert.equal(again.status(), 200);
  const shown = await resultText(page, 'status');
  assert.ok(shown.includes(COMPLETE), shown);
  await page.close();
});

test('without JavaScript the help page resends the SMS', async () => {
  const phone = freshPhone();
  await submitAndWait(server, key, cancelSubject('noscript-resend', phone), [phone]);
  const page = await context.newPage();
  await page.goto(new URL('/', server.url).href);
  await page.getByRole('link', { name: '收不到短信？' }).click();
  await page.getByRole('heading', { name: '收不到短信？' }).first().waitFor();
  await page.getByLabel('手机号码').fill(phone);
  await page.getByLabel('证件号码后六位').fill(ZHANG_SAN.suffix);
  await page.getByRole('button', { name: '重新发送短信' }).click();
  await page.waitForURL('**/resend');
  const shown = await resultText(page, 'status');
  assert.ok(shown.includes('若手机号码和证件号码后六位与待核验的备案申请一致，新的验证码短信将在几分钟内发送'), shown);
  await waitForSms(server.dataDir, phone, { after: 1 });
  await page.close();
});
