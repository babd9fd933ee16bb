// The sandbox UI, driven with the keyboard only, as a student would: run a command,
// step through its micro-steps checking the narration and the buddy panel against
// mmsim, step back to boot, open a ?script= URL, reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, screenshot, mmsim } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** mmsim --steps --counts for a script: per step, its sentence and the counts per zone. */
function steps(script) {
  const out = mmsim(script, ['--steps', '--counts']).split('\n');
  const result = [];
  for (const line of out) {
    if (line.startsWith('  · ')) result.push({ text: line.slice(4), counts: {} });
    const m = line.match(/^    (\w+): ([\d ]+)$/);
    if (m && result.length) result[result.length - 1].counts[m[1]] = m[2];
  }
  return result;
}

async function panelCounts(page) {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.buddy .zone')].map((z) =>
    [z.dataset.zone, [...z.querySelectorAll('td.count')].map((td) => td.textContent).join(' ')])));
}

async function narration(page) {
  return page.locator('.narration .steps li').allTextContents();
}

test('keyboard only: run alloc_pages 3, step through every event, step back to boot', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${BASE}?demo=0`);
  await page.getByRole('textbox', { name: 'Command' }).waitFor();
  for (const name of ['Play', 'Step forward', 'Step back', 'Reset']) {
    await page.getByRole('button', { name }).waitFor();
  }
  await page.getByRole('combobox', { name: 'Speed' }).waitFor();
  await page.getByRole('slider', { name: 'Timeline' }).waitFor();

  const expected = steps('alloc_pages 3\n');
  const boot = steps('alloc_pages 3\n')[0].counts; // counts do not change at step 1 (AllocStart)
  await page.keyboard.press('/');
  await page.keyboard.type('alloc_pages 3');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Home'); // back to the machine before the command (paused)
  assert.equal(await page.locator('.step-count').textContent(), `step 0 / ${expected.length}`);
  assert.deepEqual(await panelCounts(page), boot);
  await screenshot(page, 'ui-before-command');

  for (let k = 1; k <= expected.length; k++) {
    await page.keyboard.press('ArrowRight');
    const items = await narration(page);
    assert.equal(items.length, k, `step ${k}`);
    assert.equal(items[k - 1], expected[k - 1].text.replace(': ', ' '), `narration at step ${k}`);
    assert.deepEqual(await panelCounts(page), expected[k - 1].counts, `buddy panel at step ${k}`);
    if (k === 6) await screenshot(page, 'ui-mid-command');
  }
  await screenshot(page, 'ui-after-command');
  // The end state's counts are /proc/buddyinfo's.
  const buddyinfo = mmsim('alloc_pages 3\ncat /proc/buddyinfo\n').split('\n').slice(1, 3)
    .map((l) => l.trim().split(/\s+/).slice(4).join(' '));
  assert.deepEqual(Object.values(await panelCounts(page)), buddyinfo);

  for (let k = expected.length; k > 0; k--) await page.keyboard.press('ArrowLeft');
  assert.match(await page.locator('.narration-head').textContent(), /^Freshly booted/);
  assert.deepEqual(await panelCounts(page), boot);
  await screenshot(page, 'ui-stepped-back');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a ?script= URL runs on load, cat matches mmsim, and a reload restores the session', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const script = 'boot mem=64M\nalloc_pages 3\nkmalloc 200\ncat /proc/buddyinfo';
  await page.goto(`${BASE}?script=${encodeURIComponent(script)}`);
  const last = page.locator('.terminal .entry').last();
  await last.waitFor();
  const want = mmsim(script + '\n').split('\n').slice(3).join('\n');
  assert.equal(await last.locator('.output').textContent(), want);
  const lines = await page.locator('.terminal .prompt-line').allTextContents();
  // The session is in the URL; typing a command extends it; a reload brings it all back.
  const input = page.getByRole('textbox', { name: 'Command' });
  await input.fill('alloc_pages 0');
  await input.press('Enter');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('script')?.endsWith('alloc_pages 0'));
  await page.reload();
  await page.locator('.terminal .entry').nth(4).waitFor();
  assert.deepEqual(await page.locator('.terminal .prompt-line').allTextContents(), [...lines, '$ alloc_pages 0']);
  assert.match(await page.locator('.map-caption').first().textContent(), /of 16384 pages/);
  await screenshot(page, 'ui-restored');
  await page.close();
});

test('clicking: allocate with the buttons, select the block on the map, free it', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${BASE}?script=${encodeURIComponent('boot mem=16M')}&speed=instant`);
  await page.getByRole('combobox', { name: 'Order' }).selectOption('4');
  await page.getByRole('button', { name: 'Allocate' }).click();
  const out = await page.locator('.terminal .entry .output').last().textContent();
  const pfn = parseInt(out.match(/pfn=(0x[0-9a-f]+)/)[1], 16);
  // Click the block's first cell: the map lays pages out row by row.
  await page.locator('.map-canvas').scrollIntoViewIfNeeded();
  const box = await page.locator('.map-canvas').boundingBox();
  const caption = await page.locator('.map-caption').first().textContent();
  const cell = Number(caption.match(/(\d+)px/)[1]);
  const cols = Math.floor(box.width / cell);
  // The map may have followed the block: rows start at the first PFN it shows.
  const rel = pfn - parseInt(caption.match(/PFN (0x[0-9a-f]+)/)[1], 16);
  await page.mouse.click(box.x + (rel % cols) * cell + cell / 2, box.y + Math.floor(rel / cols) * cell + cell / 2);
  assert.match(await page.locator('.page-details').textContent(), new RegExp(`PFN 0x${pfn.toString(16)} .* kernel .* allocated order-4 block`));
  const free = page.getByRole('button', { name: `Free block 0x${pfn.toString(16)}` });
  await free.click();
  assert.equal(await page.locator('.terminal .prompt-line').last().textContent(), `$ free_pages 0x${pfn.toString(16)}`);
  await screenshot(page, 'ui-click-free');
  await page.close();
});

test('phone width: one column, everything reachable', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await page.goto(`${BASE}?script=${encodeURIComponent('alloc_pages 2')}`);
  await page.getByRole('textbox', { name: 'Command' }).waitFor();
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(widths[0] <= widths[1] + 1, `no horizontal scrolling: ${widths}`);
  await screenshot(page, 'ui-phone');
  await page.close();
});
