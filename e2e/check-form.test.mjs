// Issue 5: the manual form at `/` (短信验证码, 手机号码, 证件号码后六位), as people use it, in headless
// Chromium against the release server. Each test submits its own filing with its own numbers.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  api,
  submitAndWait,
  newFiling,
  cancelSubject,
  wrongCode,
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
  // Every check here comes from 127.0.0.1: lift the per-client limit so only the rules under test apply.
  ({ server, browser, key } = await startSuite({ env: { BEIAN_CHECKS_PER_CLIENT_PER_MINUTE: '1000' } }));
});

after(async () => {
  await stopSuite({ browser, server });
});

/** A mobile number no other test in this file uses. */
const freshPhone = phoneSequence('1390000');

/** A new page on the code form, the app running. */
async function formPage() {
  const page = await browser.newPage();
  await openApp(page, server, '/');
  return page;
}

async function fillForm(page, { code, phone, suffix }) {
  await page.getByLabel('短信验证码').fill(code);
  await page.getByLabel('手机号码').fill(phone);
  await page.getByLabel('证件号码后六位').fill(suffix);
}

async function submit(page, fields) {
  await fillForm(page, fields);
  await page.getByRole('button', { name: '提交核验' }).click();
}

/**
 * Wait for the answer box (`status` for success, `alert` for a problem) and check it holds `text`
 * as one whole message, nothing added or cut. Resolves to the box's text.
 */
async function assertAnnounced(page, role, text) {
  const box = page.getByRole(role);
  await box.waitFor({ timeout: 10_000 });
  const shown = await box.innerText();
  assert.equal(await box.getByText(text, { exact: true }).count(), 1, `expected ${role} with "${text}", got "${shown}"`);
  return shown;
}

/** The box's text once it shows an answer containing `part`. */
async function announcedContaining(page, role, part) {
  const box = page.getByRole(role).filter({ hasText: part });
  await box.waitFor({ timeout: 10_000 });
  return box.innerText();
}

test('the first person gets the partial text and the second the complete text', async () => {
  const [zhang, li] = [freshPhone(), freshPhone()];
  const { sms } = await submitAndWait(server, key, newFiling('form-both', { subjectMobile: zhang, websiteMobile: li }), [
    zhang,
    li,
  ]);

  const first = await formPage();
  await submit(first, { code: sms[zhang].code, phone: zhang, suffix: ZHANG_SAN.suffix });
  await assertAnnounced(first, 'status', '张三的短信核验完成。请等待其他待核验人进行短信核验。');

  const second = await formPage();
  await submit(second, { code: sms[li].code, phone: li, suffix: LI_SI.suffix });
  await assertAnnounced(second, 'status', '李四的短信核验完成。您的请求已完成全部核验，该请求将提交管局审核。');
  assert.deepEqual([...first.errors, ...second.errors], []);
  await Promise.all([first.close(), second.close()]);
});

test('the same code again says the verification is already done', async () => {
  const phone = freshPhone();
  const { sms } = await submitAndWait(server, key, cancelSubject('form-again', phone), [phone]);
  const fields = { code: sms[phone].code, phone, suffix: ZHANG_SAN.suffix };

  const page = await formPage();
  await submit(page, fields);
  await assertAnnounced(page, 'status', '张三的短信核验完成。您的请求已完成全部核验，该请求将提交管局审核。');
  await page.reload();
  await appReady(page);
  await submit(page, fields);
  await assertAnnounced(page, 'status', '张三的短信核验已经完成，无需重复提交。');
  await page.close();
});

test('a phone number with nothing to verify gets the not-found text', async () => {
  const page = await formPage();
  await submit(page, { code: '123456', phone: freshPhone(), suffix: ZHANG_SAN.suffix });
  await assertAnnounced(page, 'alert', '该条验证库里找不到记录。');
  await page.close();
});

test('a wrong code says the check failed, how many tries are left, and masks the name', async () => {
  const phone = freshPhone();
  const { sms } = await submitAndWait(server, key, cancelSubject('form-wrong', phone), [phone]);
  const page = await formPage();
  await submit(page, { code: wrongCode(sms[phone].code), phone, suffix: ZHANG_SAN.suffix });
  const shown = await announcedContaining(page, 'alert', '张*的短信核验失败，请输入正确的信息。');
  assert.match(shown, /2次/, `tries left (2 of 3) not shown: "${shown}"`);
  await page.close();
});

test('the last wrong try returns the request to the access provider', async () => {
  const phone = freshPhone();
  const { filing, sms } = await submitAndWait(server, key, cancelSubject('form-used-up', phone), [phone]);
  const wrong = wrongCode(sms[phone].code);
  const page = await formPage();
  await fillForm(page, { code: wrong, phone, suffix: ZHANG_SAN.suffix });
  for (const left of ['2次', '1次']) {
    await page.getByRole('button', { name: '提交核验' }).click();
    const shown = await announcedContaining(page, 'alert', left);
    assert.match(shown, /短信核验失败，请输入正确的信息。/);
  }
  await page.getByRole('button', { name: '提交核验' }).click();
  const shown = await announcedContaining(page, 'alert', '错误次数已达上限');
  assert.match(shown, /张\*的短信核验失败，验证码错误次数已达上限。您的备案申请已退回接入商，请联系接入商重新提交。/);

  const after = await api(server, 'GET', `/api/v1/filings/${filing.id}`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(after.body.state, 'returned');
  // One name for the situation (docs/states.md): the person, the reason and the answer agree.
  assert.equal(after.body.return_reason, 'attempts_used_up');
  assert.deepEqual(after.body.verifications.map((v) => v.state), ['attempts_used_up']);
  // The right code no longer helps.
  await page.getByLabel('短信验证码').fill(sms[phone].code);
  await Promise.all([
    page.waitForResponse((response) => response.url().endsWith('/api/v1/checks')),
    page.getByRole('button', { name: '提交核验' }).click(),
  ]);
  const late = await announcedContaining(page, 'alert', '张三的');
  assert.doesNotMatch(late, /核验完成/, late);
  await page.close();
});

test('full-width digits, a spaced +86 number and a lower-case x are accepted as typed', async () => {
  const phone = '13800138000';
  const { sms } = await submitAndWait(server, key, cancelSubject('form-typed', phone), [phone]);
  const fullWidth = [...sms[phone].code].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
  const page = await formPage();
  await submit(page, { code: fullWidth, phone: '+86 138 0013 8000', suffix: ZHANG_SAN.suffix.toLowerCase() });
  await assertAnnounced(page, 'status', '张三的短信核验完成。您的请求已完成全部核验，该请求将提交管局审核。');
  await page.close();
});

test('a 5-digit code is refused on the code field and nothing is sent', async () => {
  const phone = freshPhone();
  const { sms } = await submitAndWait(server, key, cancelSubject('form-short', phone), [phone]);
  const page = await formPage();
  const sent = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/')) sent.push(request.url());
  });
  await submit(page, { code: sms[phone].code.slice(0, 5), phone, suffix: ZHANG_SAN.suffix });

  const code = page.getByLabel('短信验证码');
  await page.waitForFunction(() => document.getElementById('f-code')?.getAttribute('aria-invalid') === 'true', null, {
    timeout: 5_000,
  });
  const describedBy = (await code.getAttribute('aria-describedby')) ?? '';
  const descriptions = await page.evaluate(
    (ids) => ids.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? ''),
    describedBy,
  );
  assert.ok(
    descriptions.some((text) => text.includes('短信验证码应为6位数字。')),
    `aria-describedby="${describedBy}" reads ${JSON.stringify(descriptions)}`,
  );
  assert.equal(await page.getByLabel('手机号码').getAttribute('aria-invalid'), null);
  assert.equal(await page.getByLabel('证件号码后六位').getAttribute('aria-invalid'), null);
  // The summary above the form says the same, and no request went out.
  await announcedContaining(page, 'alert', '短信验证码应为6位数字。');
  assert.deepEqual(sent, []);
  assert.equal(await page.getByRole('status').count(), 0);
  await page.close();
});

test('a keyboard user tabs through the fields, presses Enter and lands on the announced result', async () => {
  const phone = freshPhone();
  const { sms } = await submitAndWait(server, key, cancelSubject('form-keys', phone), [phone]);
  const page = await formPage();
  const order = [
    ['短信验证码', sms[phone].code],
    ['手机号码', phone],
    ['证件号码后六位', ZHANG_SAN.suffix],
  ];
  for (const [label, value] of order) {
    await page.keyboard.press('Tab');
    assert.ok(await holdsFocus(page.getByLabel(label)), `Tab should reach ${label}`);
    await page.keyboard.type(value);
  }
  await page.keyboard.press('Enter');
  await assertAnnounced(page, 'status', '张三的短信核验完成。您的请求已完成全部核验，该请求将提交管局审核。');
  await page.waitForFunction(
    () => document.activeElement?.closest('[role="status"]') || document.activeElement?.tagName === 'H1',
    null,
    { timeout: 5_000 },
  );
  await page.close();
});
