// Issue 5: axe-core finds nothing on the pages and states people see: the form, a short link, the
// help page, an answer, and a refused field.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  submitAndWait,
  newFiling,
  cancelSubject,
  linkOn,
  openApp,
  axeViolations,
  describeViolations,
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
const freshPhone = phoneSequence('1395000');

async function assertNoViolations(page, what) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `axe on ${what}:\n${describeViolations(violations)}`);
}

test('the code form has no axe violations', async () => {
  const page = await browser.newPage();
  await openApp(page, server, '/');
  await page.getByLabel('短信验证码').waitFor();
  await assertNoViolations(page, '/');
  await page.close();
});

test('a short-link page has no axe violations', async () => {
  const [zhang, li] = [freshPhone(), freshPhone()];
  const { sms } = await submitAndWait(server, key, newFiling('axe-link', { subjectMobile: zhang, websiteMobile: li }), [
    zhang,
    li,
  ]);
  const page = await browser.newPage();
  await openApp(page, server, linkOn(server, sms[zhang]));
  await page.getByLabel('证件号码后六位').waitFor();
  await assertNoViolations(page, '/v/<token>');
  await page.close();
});

test('the help page has no axe violations', async () => {
  const page = await browser.newPage();
  await openApp(page, server, '/help');
  await page.getByRole('button', { name: '重新发送短信' }).waitFor();
  await assertNoViolations(page, '/help');
  await page.close();
});

test('an answered check has no axe violations', async () => {
  const phone = freshPhone();
  const { sms } = await submitAndWait(server, key, cancelSubject('axe-answer', phone), [phone]);
  const page = await browser.newPage();
  await openApp(page, server, '/');
  await page.getByLabel('短信验证码').fill(sms[phone].code);
  await page.getByLabel('手机号码').fill(phone);
  await page.getByLabel('证件号码后六位').fill(ZHANG_SAN.suffix);
  await page.getByRole('button', { name: '提交核验' }).click();
  await page.getByRole('status').waitFor();
  await assertNoViolations(page, '/ with the complete answer');
  await page.close();
});

test('a failed check has no axe violations', async () => {
  const page = await browser.newPage();
  await openApp(page, server, '/');
  await page.getByLabel('短信验证码').fill('123456');
  await page.getByLabel('手机号码').fill(freshPhone());
  await page.getByLabel('证件号码后六位').fill(ZHANG_SAN.suffix);
  await page.getByRole('button', { name: '提交核验' }).click();
  await page.getByRole('alert').waitFor();
  await assertNoViolations(page, '/ with the not-found answer');
  await page.close();
});

test('a refused field has no axe violations', async () => {
  const page = await browser.newPage();
  await openApp(page, server, '/');
  await page.getByLabel('短信验证码').fill('12345');
  await page.getByLabel('手机号码').fill(freshPhone());
  await page.getByLabel('证件号码后六位').fill(ZHANG_SAN.suffix);
  await page.getByRole('button', { name: '提交核验' }).click();
  await page.waitForFunction(() => document.getElementById('f-code')?.getAttribute('aria-invalid') === 'true');
  await assertNoViolations(page, '/ with a refused code');
  await page.close();
});

test('the code form in dark mode has no axe violations', async () => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await openApp(page, server, '/');
  await page.getByLabel('短信验证码').fill('12345');
  await page.getByRole('button', { name: '提交核验' }).click();
  await page.waitForFunction(() => document.getElementById('f-code')?.getAttribute('aria-invalid') === 'true');
  await assertNoViolations(page, '/ in dark mode with refused fields');
  await context.close();
});
