// Accessibility, checked by axe-core in the browser: no serious or critical violation
// on the main view after a script, a lesson step, embed mode and phone width, with
// every panel showing (the Blocks drawing, the walk, slabs, the OOM decision).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BASE, launch, screenshot } from './helpers.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const url = (script, extra = '') => `${BASE}?script=${encodeURIComponent(script)}${extra}`;
const SCRIPT = [
  'alloc_pages 3', 'kmalloc 200', 'spawn app', 'mmap 2 64K', 'write 2 0x7ffff7ff0000',
  'fork 2', 'write 3 0x7ffff7ff0000', 'translate 2 0x7ffff7ff0123',
].join('\n');

// A lesson link whose lesson fails its check: it opens in the editor, the error shown.
const EDITOR = `${BASE}?lesson-data=${deflateRawSync(Buffer.from(
  'lesson a11y\ntitle Editor\nstep One\nsetup boot mem=64M\ntask Run ps.\ncheck processes >= 0\nsolution ps\n',
)).toString('base64url')}`;

// The serious and critical violations on the page, one line each.
async function violations(page) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

// No serious violation, a screenshot, and at a phone's width nothing wider than it.
async function checkPage(page, name, viewport) {
  const found = await violations(page);
  await screenshot(page, `a11y-${name.replace(/[^a-z0-9]+/gi, '-')}`);
  assert.deepEqual(found, []);
  if (viewport.width === 390) {
    const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
    assert.ok(scroll <= inner, `nothing overflows at 390 px (${scroll} > ${inner})`);
  }
  await page.close();
}

for (const [name, address, viewport] of [
  ['main view after a script, mid-walk', url(SCRIPT, '&speed=slow'), { width: 1366, height: 1000 }],
  ['a lesson step', `${BASE}?lesson=buddy&step=1`, { width: 1366, height: 1000 }],
  ['a prediction step', `${BASE}?lesson=cow&step=2`, { width: 1366, height: 1000 }],
  ['embed mode', url(SCRIPT, '&embed=1&speed=instant'), { width: 900, height: 800 }],
  ['phone width', url(SCRIPT, '&speed=instant'), { width: 390, height: 844 }],
  ['the first visit demo', `${BASE}?demo=1`, { width: 1366, height: 1000 }],
  ['the lesson editor, an error shown', EDITOR, { width: 1366, height: 1000 }],
  ['the lesson editor at phone width', EDITOR, { width: 390, height: 844 }],
]) {
  test(`axe-core finds no serious violation: ${name}`, async () => {
    const page = await browser.newPage({ viewport });
    await page.goto(address);
    await page.locator('main').waitFor();
    await page.waitForTimeout(500);
    if (name.includes('mid-walk')) {
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
    }
    await checkPage(page, name, viewport);
  });
}

// The import page, with an OOM report read and a /proc snapshot booted.
const fixture = (p) => new URL(`../../crates/mm-core/tests/fixtures/${p}`, import.meta.url);
for (const [name, viewport] of [
  ['the import page, a report and a snapshot read', { width: 1366, height: 1000 }],
  ['the import page at phone width', { width: 390, height: 844 }],
]) {
  test(`axe-core finds no serious violation: ${name}`, async () => {
    const page = await browser.newPage({ viewport });
    await page.goto(`${BASE}import.html`);
    await page.getByText('The importer is ready.').waitFor({ timeout: 60000 });
    await page.getByLabel('Kernel log').fill(readFileSync(fixture('oom/web2_lesson.log'), 'utf8'));
    await page.getByRole('button', { name: 'Read the report' }).click();
    await page.locator('.oom-bars li.victim').waitFor();
    await page.locator('#proc-files').setInputFiles(['meminfo', 'buddyinfo'].map((f) => fixture(`proc/fragmented/${f}`).pathname));
    await page.getByRole('button', { name: 'Boot it and run' }).click();
    await page.locator('#proc-result pre.out').waitFor({ timeout: 60000 });
    await page.waitForTimeout(3500);
    await checkPage(page, name, viewport);
  });
}
