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
  assert.match(await page.locator('#lesson-title').textContent(), /step 1 of 3: Which cache serves kmalloc\?/);
  assert.match(await page.locator('.lesson .check').textContent(), /^Not yet/);
  await page.getByRole('button', { name: 'Hint' }).click();
  assert.equal(await page.locator('.hints li').textContent(), 'kmalloc 200');
  const input = page.getByRole('textbox', { name: 'Command' });
  await input.fill('kmalloc 200');
  await input.press('Enter');
  await page.locator('.lesson .check.done').waitFor();
  await screenshot(page, 'lesson-step-done');
  await page.getByRole('button', { name: 'Next step' }).click();
  assert.match(await page.locator('#lesson-title').textContent(), /step 2 of 3/);
  await input.fill('kmem_cache_alloc demo');
  await input.press('Enter');
  await page.locator('.lesson .check.done').waitFor();
  assert.match(page.url(), /lesson=slab&step=2/);
  await page.reload();
  await page.getByRole('button', { name: 'All lessons' }).click();
  const slab = page.locator('.lesson-index > li').filter({ has: page.getByRole('button', { name: 'The slab allocator', exact: true }) });
  assert.match(await slab.locator('.progress').textContent(), /2\/3 steps done$/);
  await context.close();
});

/** Picks a choice of the step's prediction and checks it; returns the grade's text. */
async function predict(page, choice) {
  await page.locator('.predict').getByLabel(choice, { exact: true }).check();
  await page.getByRole('button', { name: 'Check my prediction' }).click();
  return page.locator('.graded').textContent();
}

/** Types a command into the terminal. */
async function type(page, line) {
  const input = page.getByRole('textbox', { name: 'Command' });
  await input.fill(line);
  await input.press('Enter');
}

test('a student completes three lessons, predictions included, one after a wrong guess', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const next = () => page.getByRole('button', { name: 'Next step' }).click();
  const done = () => page.locator('.lesson .check.done').waitFor();
  // Pages and physical memory: a typed task, then two predictions.
  await page.goto(`${BASE}?lesson=pages&step=1`);
  await page.locator('.lesson').waitFor();
  assert.match(await page.locator('#lesson-title').textContent(), /step 1 of 3: RAM in pages/);
  await type(page, 'cat /proc/meminfo | head -n 3');
  await type(page, 'cat /proc/buddyinfo');
  await done();
  await next();
  await screenshot(page, 'lesson-predict-before');
  assert.match(await predict(page, '0x1400123'), /^✓ Right/);
  await done();
  await next();
  // Running the command first does not change the question: predicting starts the
  // step's machine over, so the answer is still the one the lesson was checked with.
  await type(page, 'alloc_pages 2');
  await page.waitForFunction(() => document.querySelector('.terminal').textContent.includes('pfn=0x1014'));
  assert.match(await predict(page, '0x1014'), /^✓ Right/);
  await done();
  // fork and copy-on-write: the child's write guessed wrong, then right.
  await page.goto(`${BASE}?lesson=cow&step=1`);
  await page.locator('.lesson').waitFor();
  await type(page, 'fork 2');
  await type(page, 'translate 3 0x7ffff7ffd000');
  await done();
  await next();
  const wrong = await predict(page, 'cow-reuse');
  assert.match(wrong, /Not this time: you predicted cow-reuse; the simulator gives cow-copy/);
  assert.match(await page.locator('.lesson .check').textContent(), /^Not yet/);
  // The command's steps play to show why: the narration reaches the copy.
  await page.waitForFunction(() => document.querySelector('.narration')?.textContent.includes('wp_page_copy'), null, { timeout: 20000 });
  await screenshot(page, 'lesson-predict-wrong');
  await page.getByRole('button', { name: 'Try again' }).click();
  assert.equal(await page.locator('.graded').count(), 0);
  assert.match(await predict(page, 'cow-copy'), /^✓ Right/);
  await done();
  await next();
  assert.match(await predict(page, 'cow-reuse'), /^✓ Right/);
  await done();
  // The slab allocator: two typed tasks and a prediction.
  await page.goto(`${BASE}?lesson=slab&step=1`);
  await page.locator('.lesson').waitFor();
  await type(page, 'kmalloc 200');
  await done();
  await next();
  await type(page, 'kmem_cache_alloc demo');
  await done();
  await next();
  assert.match(await predict(page, 'kmalloc-2k'), /^✓ Right: you predicted kmalloc-2k, and the simulator gives kmalloc-2k/);
  await done();
  await page.getByRole('button', { name: 'All lessons' }).click();
  for (const title of ['Pages and physical memory', 'fork and copy-on-write', 'The slab allocator']) {
    const li = page.locator('.lesson-index > li').filter({ has: page.getByRole('button', { name: title, exact: true }) });
    assert.match(await li.locator('.progress').first().textContent(), /3\/3 steps done ✓/, title);
  }
  assert.match(await page.locator('.course-intro').textContent(), /^18 lessons, \d+ steps/);
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
  // The lesson's notice comes once the lessons are fetched.
  await page.waitForFunction(() => document.querySelectorAll('.notices li').length >= 4);
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
