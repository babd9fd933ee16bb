// The terminal: a student types a command and sees exactly what mmsim prints.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, screenshot, mmsim } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('typing cat /proc/buddyinfo shows what mmsim prints', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${BASE}?demo=0`);
  const input = page.getByRole('textbox', { name: 'Command' });
  await input.waitFor();
  await input.fill('cat /proc/buddyinfo');
  await input.press('Enter');
  const output = page.locator('.entry .output').last();
  await output.waitFor();
  const shown = await output.textContent();
  assert.equal(shown, mmsim('cat /proc/buddyinfo\n'));
  assert.match(shown, /^Node 0, zone      DMA      0      0/);
  await screenshot(page, 'terminal-buddyinfo');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a wrong command shows a clear error and the terminal keeps working', async () => {
  const page = await browser.newPage();
  await page.goto(`${BASE}?demo=0`);
  const input = page.getByRole('textbox', { name: 'Command' });
  await input.fill('alloc_pages 99');
  await input.press('Enter');
  await page.locator('.entry.error').first().waitFor();
  const err = await page.locator('.entry.error .output').textContent();
  assert.match(err, /^alloc_pages: order 99 is above MAX_PAGE_ORDER/);
  await input.fill('alloc_pages 0');
  await input.press('Enter');
  await page.locator('.entry').nth(1).waitFor();
  assert.match(await page.locator('.entry .output').nth(1).textContent(), /^pfn=0x[0-9a-f]+ order=0 zone=DMA32\n$/);
  await page.close();
});
