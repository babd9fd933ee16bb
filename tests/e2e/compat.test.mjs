// What is already out in the world keeps working: the links in the README as
// published (a ?script= session, a lesson step, an iframe's embed parameters) and a
// student's saved lesson progress in its localStorage format ("lesson/step,...").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a published ?script= link restores its session', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${BASE}?script=boot%20mem%3D64M%0Aalloc_pages%203%0Acat%20%2Fproc%2Fbuddyinfo&speed=fast`);
  await page.waitForFunction(() => document.querySelectorAll('.terminal .entry').length === 3);
  assert.deepEqual(await page.locator('.terminal .prompt-line').allTextContents(),
    ['$ boot mem=64M', '$ alloc_pages 3', '$ cat /proc/buddyinfo']);
  assert.match(await page.locator('.terminal .output').last().textContent(), /^Node 0, zone      DMA /);
  assert.equal(await page.locator('.notices').count(), 0);
  await page.close();
});

test('a published lesson link opens its step', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${BASE}?lesson=buddy&step=2`);
  await page.locator('.lesson').waitFor();
  assert.match(await page.locator('#lesson-title').textContent(), /step 2 of \d+: Merge buddies/);
  assert.equal(await page.locator('.notices').count(), 0);
  await page.close();
});

test('the README\'s iframe parameters: embed, autoplay, script, panels', async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  await page.goto(`${BASE}?embed=1&autoplay=1&script=alloc_pages%203&panels=terminal,buddy,narration`);
  await page.locator('.terminal .entry').waitFor();
  assert.equal(await page.locator('.site-header').count(), 0);
  assert.equal(await page.locator('.memory-map, .timeline, .panel.slab, .processes').count(), 0);
  await page.locator('.narration').waitFor();
  await page.locator('.panel.buddy').waitFor();
  // Autoplay: the narration tells the allocation's steps as the playhead moves.
  await page.waitForFunction(() => document.querySelector('.narration')?.textContent.includes('__alloc_pages'));
  assert.equal(await page.locator('.notices').count(), 0);
  await page.close();
});

test('progress saved in the published localStorage format still shows as done', async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}?demo=0`);
  await page.evaluate(() => localStorage.setItem('mm-sandbox-progress', 'slab/1,slab/2,buddy/1'));
  await page.reload();
  await page.getByRole('button', { name: 'Lessons' }).click();
  const slab = page.locator('.lesson-index > li').filter({ has: page.getByRole('button', { name: 'The slab allocator', exact: true }) });
  assert.match(await slab.locator('.progress').textContent(), /2\/3 steps done$/);
  const buddy = page.locator('.lesson-index > li').filter({ has: page.getByRole('button', { name: 'The buddy allocator', exact: true }) });
  assert.match(await buddy.locator('.progress').textContent(), /1\/3 steps done$/);
  await context.close();
});
