// Screenshots of each animation in the middle of its step (split, merge, walk,
// copy-on-write, slab, OOM), written under target/screenshots/ for people to look at;
// each also checks that the step shown is the one asked for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, mmsim, screenshot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const url = (script, extra = '') => `${BASE}?script=${encodeURIComponent(script)}${extra}`;

// Opens `script`, seeks to the step before the `nth` step whose narration matches
// `pattern` (frame numbers as mmsim --steps counts them), then steps onto it with the
// tween clock held at `progress`.
async function midStep(page, script, pattern, nth = 0, progress = 0.5) {
  const steps = mmsim(script, ['--steps']).split('\n').filter((l) => l.startsWith('  · '));
  const hits = steps.map((l, i) => [l, i]).filter(([l]) => pattern.test(l.slice(4)));
  assert.ok(hits.length > nth, `a step matches ${pattern}`);
  const frame = hits[nth][1] + 1;
  await page.goto(url(script, '&speed=slow'));
  await page.locator('.terminal .entry').first().waitFor();
  await page.locator('input[aria-label="Timeline"]').fill(String(frame - 1));
  await page.evaluate((t) => { window.__mmTween = t; }, progress);
  await page.keyboard.press('ArrowRight');
  const now = await page.locator('.narration .steps li.now').textContent();
  assert.match(now, pattern);
  await page.waitForTimeout(180);
}

const SHOTS = [
  ['split', 'alloc_pages 3', /^expand/, 1, 'section.blocks'],
  ['merge', 'alloc_pages 3\nfree_pages 0x1020', /merge into order-5/, 0, 'section.blocks'],
  ['walk', 'spawn app\nmmap 2 64K\nwrite 2 0x7ffff7ff0000\ntranslate 2 0x7ffff7ff0123', /^pmd_offset/, 0, 'section.walk-panel'],
  ['cow', 'spawn app\nmmap 2 64K\nwrite 2 0x7ffff7ff0000\nfork 2\nwrite 3 0x7ffff7ff0000', /^wp_page_copy/, 0, 'section.walk-panel'],
  ['slab', 'kmalloc 200\nkmalloc 200', /^slab_alloc_node/, 1, 'section.slab'],
  // Compaction: an 8M machine whose user pages were unmapped every other 32K, then
  // compact_memory; mid-migration, the scanners and a page's arrow on the map.
  ['compaction', ['boot mem=8M pcp=off', 'sysctl -w vm.compaction_proactiveness=0', 'spawn app', 'mmap 2 6400K',
    'touch 2 0x7ffff79bf000 6400K', ...Array.from({ length: 100 }, (_, i) => `munmap 2 0x${(0x7ffff79bf000 + i * 0x10000).toString(16)} 32K`),
    'echo 1 > /proc/sys/vm/compact_memory'].join('\n'), /^migrate_folio_move/, 60, 'section.memory-map'],
  ['oom', 'boot mem=32M\nspawn small\nspawn hog\nmmap 2 1M\ntouch 2 0x7ffff7eff000 8K\nsysctl -w vm.overcommit_memory=1\nmmap 3 64M\ntouch 3 0x7ffff3fff000 64M',
    /^oom_badness/, 1, 'section.commit'],
];

for (const [name, script, pattern, nth, panel] of SHOTS) {
  test(`mid-step screenshot: ${name}`, async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
    await midStep(page, script, pattern, nth);
    await page.locator(panel).screenshot({ path: `target/screenshots/anim-${name}.png` });
    if (name === 'split') await page.screenshot({ path: 'target/screenshots/anim-split-page.png' });
    await page.close();
  });
}
