// The Blocks panel and the memory map that follows the step: shapes move between two
// pictures (checked at fixed points of the tween clock, window.__mmTween, so nothing
// depends on timing), not under prefers-reduced-motion, each step's accessible name
// names what mmsim --steps says, and the map zooms to the block on a 16 GiB machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, mmsim, screenshot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const url = (script, extra = '') => `${BASE}?script=${encodeURIComponent(script)}${extra}`;
const label = (page) => page.locator('canvas.blocks-canvas').getAttribute('aria-label');
const pixels = (page) => page.locator('canvas.blocks-canvas').evaluate((c) => c.toDataURL());
const frames = (page, n = 3) => page.evaluate((n) => new Promise((done) => {
  const next = (k) => (k === 0 ? done() : requestAnimationFrame(() => next(k - 1)));
  next(n);
}), n);

// Steps from the start of the session to the step before the first whose label matches.
async function stepToBefore(page, pattern) {
  await page.keyboard.press('Home');
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('ArrowRight');
    if (pattern.test(await label(page))) {
      await page.keyboard.press('ArrowLeft');
      return;
    }
  }
  throw new Error(`no step matches ${pattern}`);
}

test('a split moves between 25% and 75% of its tween, and does not under reduced motion', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
  await page.goto(url('alloc_pages 3', '&speed=slow'));
  await page.locator('.terminal .entry').first().waitFor();
  await stepToBefore(page, /splits/);
  await page.evaluate(() => { window.__mmTween = 0.25; });
  await page.keyboard.press('ArrowRight');
  assert.match(await label(page), /^order-5 block 0x1020 splits: 0x1020 stays, 0x1030 goes to free_area\[4\]$/);
  await frames(page);
  const quarter = await pixels(page);
  await screenshot(page, 'blocks-split-25');
  await page.evaluate(() => { window.__mmTween = 0.75; });
  await frames(page);
  const threeQuarters = await pixels(page);
  await page.locator('section.blocks').screenshot({ path: 'target/screenshots/blocks-split-75.png' });
  assert.notEqual(quarter, threeQuarters, 'the picture moves during a step');

  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.keyboard.press('ArrowLeft');
  await page.evaluate(() => { window.__mmTween = 0.25; });
  await page.keyboard.press('ArrowRight');
  assert.match(await label(page), /^order-5 block 0x1020 splits/, 'the step moved on');
  await frames(page);
  const still25 = await pixels(page);
  assert.notEqual(still25, quarter, 'at its end state, not a quarter of the way');
  await page.evaluate(() => { window.__mmTween = 0.75; });
  await frames(page);
  assert.equal(still25, await pixels(page), 'reduced motion cuts to the end state');
  await page.close();
});

test('each step of alloc_pages 3 and free_pages names its block and free area, as mmsim --steps does', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
  const script = 'alloc_pages 3\nfree_pages 0x1020';
  await page.goto(url(script, '&speed=instant'));
  await page.locator('.terminal .entry').nth(1).waitFor();
  const steps = mmsim(script, ['--steps']).split('\n').filter((l) => l.startsWith('  · '));
  await page.keyboard.press('Home');
  let checked = 0;
  for (const step of steps) {
    await page.keyboard.press('ArrowRight');
    const pfn = step.match(/0x[0-9a-f]+/)?.[0];
    if (!pfn) continue;
    const got = await label(page);
    assert.ok(got.includes(pfn), `"${got}" names ${pfn} (${step})`);
    const area = step.match(/free_area\[\d+\]/)?.[0];
    if (area) assert.ok(got.includes(area), `"${got}" names ${area} (${step})`);
    checked += 1;
  }
  assert.ok(checked >= 10, `checked ${checked} steps`);
  await page.close();
});

test('the memory map zooms to the block during alloc_pages 3 on a 16 GiB machine', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(url('boot mem=16G', '&speed=slow'));
  await page.locator('.terminal .entry').first().waitFor();
  const range = async () => {
    const m = (await page.locator('.map-caption').first().textContent()).match(/PFN (0x[0-9a-f]+)–(0x[0-9a-f]+) of (\d+) pages/);
    return [Number(m[1]), Number(m[2]), Number(m[3])];
  };
  const [lo0, hi0, total] = await range();
  assert.ok(hi0 - lo0 + 1 >= total * 0.9, 'the whole machine at first');
  await page.keyboard.press('/');
  await page.keyboard.type('alloc_pages 3');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.keyboard.press('k');
  await stepToBefore(page, /splits/);
  await page.keyboard.press('ArrowRight');
  await frames(page);
  const block = Number((await label(page)).match(/block (0x[0-9a-f]+)/)[1]);
  const [lo, hi] = await range();
  assert.ok(hi - lo + 1 < total / 4, `the view narrows (${lo}-${hi})`);
  assert.ok(lo <= block && block <= hi, `the view holds block ${block}`);
  await screenshot(page, 'blocks-map-follows');
  await page.close();
});

test('a first visit plays the demo once, outside the session; Skip ends it; ?demo=1 forces it', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 1000 } });
  const page = await context.newPage();
  await page.goto(BASE);
  const skip = page.getByRole('button', { name: 'Skip' });
  await skip.waitFor();
  // It shows a split and, later, a merge.
  const seen = new Set();
  for (let i = 0; i < 80 && !(seen.has('splits') && seen.has('merge')); i++) {
    const l = await page.locator('.demo canvas.blocks-canvas').getAttribute('aria-label');
    if (/splits/.test(l)) {
      if (!seen.has('splits')) await page.locator('section.demo').screenshot({ path: 'target/screenshots/demo-mid.png' });
      seen.add('splits');
    }
    if (/merge into/.test(l)) seen.add('merge');
    await page.waitForTimeout(100);
  }
  assert.deepEqual([...seen].sort(), ['merge', 'splits']);
  // Nothing of it is in the session: no command, no script in the address.
  assert.equal(await page.locator('.terminal .entry').count(), 0);
  assert.ok(!page.url().includes('script='));
  await skip.click();
  assert.equal(await page.locator('section.demo').count(), 0);
  await page.reload();
  await page.locator('.terminal').waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.locator('section.demo').count(), 0, 'not shown again');
  await page.goto(`${BASE}?demo=1`);
  await page.getByRole('button', { name: 'Skip' }).waitFor();
  await context.close();
});
