// Lessons and embedding: a student completes a lesson by typing, progress survives a
// reload; a page embeds the sandbox in an iframe and talks to it with postMessage;
// malformed parameters and messages get a notice and the sandbox keeps working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, screenshot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a student completes the slab lesson by typing, and the progress survives a reload', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${BASE}?lesson=slab&step=1`);
  await page.locator('.lesson').waitFor();
  assert.match(await page.locator('#lesson-title').textContent(), /step 1 of 2: Which cache serves kmalloc\?/);
  assert.match(await page.locator('.lesson .check').textContent(), /^Not yet/);
  await page.getByRole('button', { name: 'Hint' }).click();
  assert.equal(await page.locator('.hints li').textContent(), 'kmalloc 200');
  const input = page.getByRole('textbox', { name: 'Command' });
  await input.fill('kmalloc 200');
  await input.press('Enter');
  await page.locator('.lesson .check.done').waitFor();
  await screenshot(page, 'lesson-step-done');
  await page.getByRole('button', { name: 'Next step' }).click();
  assert.match(await page.locator('#lesson-title').textContent(), /step 2 of 2/);
  await input.fill('kmem_cache_alloc demo');
  await input.press('Enter');
  await page.locator('.lesson .check.done').waitFor();
  assert.match(page.url(), /lesson=slab&step=2/);
  await page.reload();
  await page.getByRole('button', { name: 'All lessons' }).click();
  const slab = page.locator('.lesson-index > li').filter({ hasText: 'The slab allocator' });
  assert.match(await slab.locator('.progress').textContent(), /2\/2 steps done ✓/);
  await screenshot(page, 'lesson-index');
  await context.close();
});

test('an embedded iframe runs its script, posts its events to the parent, and takes commands', async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const src = `${BASE}?embed=1&panels=terminal,buddy&script=${encodeURIComponent('alloc_pages 2\ncat /proc/buddyinfo')}`;
  await page.setContent(`<!DOCTYPE html><title>article</title><p>An article.</p>
    <iframe id="sb" src="${src}" width="900" height="600" title="sandbox"></iframe>
    <script>window.msgs = []; addEventListener('message', (e) => window.msgs.push(e.data));</script>`);
  await page.waitForFunction(() => window.msgs.filter((m) => m.type === 'command').length >= 2, null, { timeout: 15000 });
  let msgs = await page.evaluate(() => window.msgs);
  assert.equal(msgs[0].source, 'mm-sandbox');
  assert.equal(msgs[0].type, 'ready');
  const first = msgs.find((m) => m.type === 'command');
  assert.equal(first.command, 'alloc_pages 2');
  assert.equal(first.ok, true);
  assert.match(first.output, /^pfn=0x[0-9a-f]+ order=2 zone=DMA32\n$/);
  // Protocol version 2: each event as the JS API gives it, typed fields included.
  assert.equal(first.version, 2);
  assert.equal(first.failure, null);
  assert.deepEqual(Object.keys(first.events[0]).sort(),
    ['function', 'gfp', 'highest_zone', 'kind', 'migratetype', 'order', 'sentence', 'text', 'tracepoint']);
  assert.equal(first.events[0].kind, 'AllocStart');
  assert.equal(first.events[0].text, `${first.events[0].function}: ${first.events[0].sentence}`);
  assert.equal(first.events.find((e) => e.kind === 'Allocated').tracepoint, 'kmem:mm_page_alloc');
  // The parent sends a command in the documented format, and something malformed.
  await page.evaluate(() => {
    const w = document.getElementById('sb').contentWindow;
    w.postMessage({ target: 'mm-sandbox', type: 'explode' }, '*');
    w.postMessage('just a string', '*');
    w.postMessage({ target: 'mm-sandbox', type: 'run', command: 'kmalloc 200' }, '*');
  });
  await page.waitForFunction(() => window.msgs.some((m) => m.command === 'kmalloc 200'));
  msgs = await page.evaluate(() => window.msgs);
  assert.match(msgs.find((m) => m.command === 'kmalloc 200').output, /cache=kmalloc-256/);
  const frame = page.frameLocator('#sb');
  assert.match(await frame.locator('.notices').textContent(), /Ignored a message for mm-sandbox: its type "explode" is not "run"/);
  assert.equal(await frame.locator('.notices li').count(), 1);
  await screenshot(page, 'embed-parent');
  await page.close();
});

test('malformed parameters get a clear notice and the sandbox keeps working', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${BASE}?speed=warp&panels=map,terminal,bogus&lesson=nope&autoplay=maybe`);
  await page.locator('.notices').waitFor();
  const notes = await page.locator('.notices li').allTextContents();
  assert.equal(notes.length, 4, notes.join('\n'));
  assert.match(notes.join('\n'), /Unknown speed 'warp'/);
  assert.match(notes.join('\n'), /Unknown panel 'bogus'/);
  assert.match(notes.join('\n'), /There is no lesson 'nope'/);
  const input = page.getByRole('textbox', { name: 'Command' });
  await input.fill('alloc_pages 0');
  await input.press('Enter');
  assert.match(await page.locator('.terminal .output').last().textContent(), /^pfn=/);
  await page.getByRole('button', { name: 'Dismiss notices' }).click();
  assert.equal(await page.locator('.notices').count(), 0);
  await screenshot(page, 'notices');
  await page.close();
});

test('Embed this gives iframe code for the session', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${BASE}?script=${encodeURIComponent('alloc_pages 1')}`);
  await page.getByRole('button', { name: 'Embed this' }).click();
  const code = await page.getByRole('textbox', { name: 'Embed code' }).inputValue();
  assert.match(code, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed=1&autoplay=1&script=alloc_pages%201" title="mm-sandbox/);
  await page.close();
});
