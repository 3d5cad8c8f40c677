// `cargo xtask screenshots`: the README's pictures, taken from the release build the way a person
// sees it on a phone (360 px wide), in light and dark: the code form, a short link's page and an
// answer. Run with `node --test e2e/screenshots.mjs`; writes docs/screenshots/*.png.

import { test, before, after } from 'node:test';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSuite, stopSuite, submitAndWait, newFiling, linkOn, openApp, ZHANG_SAN } from './helpers.mjs';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/screenshots');
const VIEWPORT = { width: 360, height: 740 };

let suite;

before(async () => {
  suite = await startSuite();
});

after(async () => {
  await stopSuite(suite);
});

test('screenshots of the code form, a link page and an answer at 360 px, light and dark', async () => {
  await mkdir(OUT, { recursive: true });
  const { server, browser, key } = suite;
  for (const scheme of ['light', 'dark']) {
    const [zhang, li] = scheme === 'light' ? ['13800138000', '18912345678'] : ['13900139000', '18812345678'];
    const { sms } = await submitAndWait(server, key, newFiling(`screenshots-${scheme}`, { subjectMobile: zhang, websiteMobile: li }), [
      zhang,
      li,
    ]);
    const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: scheme });
    const page = await context.newPage();
    const shoot = (name) => page.screenshot({ path: path.join(OUT, `${name}-${scheme}.png`), fullPage: true });

    await openApp(page, server, '/');
    await shoot('code-form');

    await openApp(page, server, linkOn(server, sms[zhang]));
    await page.getByLabel('证件号码后六位').waitFor();
    await shoot('link');

    await page.getByLabel('证件号码后六位').fill(ZHANG_SAN.suffix);
    await page.getByRole('button', { name: '确认核验' }).click();
    await page.getByRole('status').waitFor();
    // The answer takes focus; its outline is not part of the picture.
    await page.evaluate(() => document.activeElement?.blur());
    await shoot('answer');
    await context.close();
  }
});
