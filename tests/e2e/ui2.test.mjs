// The sandbox UI, part 2: slab caches, page-table walks, overcommit and the OOM killer,
// panels chosen in embed mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, screenshot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const url = (script, extra = '') => `${BASE}?script=${encodeURIComponent(script)}${extra}`;

async function typeAndPause(page, line) {
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('slow');
  await page.keyboard.press('/');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.keyboard.press('k'); // pause before the first step plays
}

test('kmalloc 200 highlights kmalloc-256, then its new slab appears on the memory map', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
  await page.goto(url('boot mem=64M', '&speed=instant'));
  await page.locator('.terminal .entry').first().waitFor();
  await typeAndPause(page, 'kmalloc 200');
  await page.keyboard.press('ArrowRight');
  assert.match(await page.locator('.narration .steps li').last().textContent(), /^kmalloc_slab a 200-byte kmalloc is served by the kmalloc-256 cache/);
  await page.locator('.slabtop tr.hot[data-cache="kmalloc-256"]').waitFor();
  await screenshot(page, 'ui2-kmalloc-class');
  await page.keyboard.press('End');
  const slab = page.locator('.slab-detail .slab button').first();
  const pfn = (await slab.textContent()).trim();
  await slab.click();
  assert.match(await page.locator('.page-details').textContent(), new RegExp(`PFN ${pfn} .* slab .* slab of kmalloc-256`));
  await screenshot(page, 'ui2-kmalloc-slab');
  await page.close();
});

test('translate steps through four levels with the address bits as indices', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
  await page.goto(url('spawn app\nmmap 2 64K\nwrite 2 0x7ffff7ff0000', '&speed=instant'));
  await page.locator('.terminal .entry').nth(2).waitFor();
  await typeAndPause(page, 'translate 2 0x7ffff7ff0123');
  const want = [['PGD', 255], ['PUD', 511], ['PMD', 447], ['PTE', 496]];
  for (let i = 0; i < want.length; i++) {
    await page.keyboard.press('ArrowRight');
    const names = await page.locator('.walk-col.reached:not(.frame) .col-name').allTextContents();
    assert.equal(names.length, i + 1);
    assert.equal(names[i], `${want[i][0]} table`);
    const entries = await page.locator('.walk-col.reached:not(.frame) .col-entry').allTextContents();
    assert.match(entries[i], new RegExp(`^\\[${want[i][1]}\\] = 0x`));
  }
  const bits = await page.locator('.va-bits .bits').allTextContents();
  assert.deepEqual(bits.slice(1, 5), want.map(([l, n]) => `${l} ${n}`));
  await screenshot(page, 'ui2-translate');
  await page.getByRole('button', { name: 'Show the frame on the map' }).click();
  assert.match(await page.locator('.page-details').textContent(), /user page mapped by 1 PTE/);
  await page.close();
});

test('a mode-2 mmap refusal shows in the commit panel', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
  await page.goto(url('spawn app\nsysctl -w vm.overcommit_memory=2\nmmap 2 1G', '&speed=instant'));
  await page.locator('.commit .refusal').waitFor();
  assert.match(await page.locator('.commit .refusal').textContent(), /^mmap 2 1G refused: 262144 page\(s\) for pid 2/);
  assert.equal(await page.getByRole('combobox', { name: 'Overcommit mode' }).inputValue(), '2');
  await screenshot(page, 'ui2-commit-refusal');
  await page.close();
});

test('an OOM kill shows its victim', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
  const script = 'boot mem=32M\nspawn small\nspawn hog\nmmap 2 1M\ntouch 2 0x7ffff7eff000 8K\nsysctl -w vm.overcommit_memory=1\nmmap 3 64M\ntouch 3 0x7ffff3fff000 64M';
  await page.goto(url(script, '&speed=instant'));
  await page.locator('.commit .oom-victim').waitFor();
  assert.match(await page.locator('.commit .oom-victim').textContent(), /^Killed process 3 \(hog\)/);
  assert.match(await page.locator('.oom tr.victim').textContent(), /hog \(victim\)/);
  await screenshot(page, 'ui2-oom');
  await page.close();
});

test('embed mode with &panels= shows only the chosen panels', async () => {
  const page = await browser.newPage({ viewport: { width: 800, height: 700 } });
  await page.goto(url('alloc_pages 1', '&embed=1&panels=terminal,buddy'));
  await page.getByRole('textbox', { name: 'Command' }).waitFor();
  assert.equal(await page.locator('.site-header').count(), 0);
  assert.equal(await page.locator('.memory-map').count(), 0);
  assert.equal(await page.locator('.buddy').count(), 1);
  await screenshot(page, 'ui2-embed');
  await page.close();
});

test('the pressure panel plots free pages falling to the watermarks while kswapd0 reclaims', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
  // 36M of file through a 32M machine: every step kept (about 98,000).
  const script = 'boot mem=32M\nfallocate -l 36M /data/big\ncat /data/big > /dev/null';
  await page.goto(url(script, '&speed=slow'));
  await page.locator('.terminal .entry').first().waitFor();
  const timeline = page.locator('input[aria-label="Timeline"]');
  const steps = Number(await timeline.getAttribute('max'));
  assert.ok(steps > 90000, `${steps} steps`);
  // Before the command: kswapd0 asleep, the plot empty of reclaim.
  await timeline.fill('1');
  assert.match(await page.locator('.pressure .kswapd-state').textContent(), /^kswapd0 is asleep/);
  // Late in it: kswapd0 at work, DMA32 down near its watermarks.
  await timeline.fill('90000');
  await page.locator('.pressure .kswapd-state.running').waitFor();
  const dma32 = page.getByRole('img', { name: /^DMA32: \d+ pages free/ });
  const label = await dma32.getAttribute('aria-label');
  const [, free, , , , high] = label.match(/(\d+) pages free \(([a-z ]+)\); min (\d+), low (\d+), high (\d+)/).map(Number);
  assert.ok(free < high * 2, label);
  // The LRU rows: the file pages went onto the inactive file list.
  assert.match(await page.locator('.lru-row.inactive_file .num').textContent(), /^\d+ kB \(\+\d+\)$/);
  await screenshot(page, 'ui2-pressure-mid');
  // The panel's buttons type their commands.
  await page.getByRole('button', { name: 'Drop caches' }).click();
  await page.locator('.terminal .entry', { hasText: 'echo 3 > /proc/sys/vm/drop_caches' }).waitFor();
  await page.close();
});

test('swap: the pressure panel shows swap filling, and translate walks to a swap entry', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
  // 48M touched on a 32M machine with 64M of swap: anonymous pages are swapped out.
  const script = 'boot mem=32M swap=64M\nspawn app\nmmap 2 48M\ntouch 2 0x7ffff4fff000 48M';
  await page.goto(url(script, '&speed=slow'));
  await page.locator('.terminal .entry').nth(3).waitFor();
  const timeline = page.locator('input[aria-label="Timeline"]');
  const steps = Number(await timeline.getAttribute('max'));
  // Mid-command: some pages written to swap already, the bar between before and after.
  await timeline.fill(String(Math.floor(steps * 0.8)));
  await page.locator('.pressure .kswapd-state').waitFor();
  await screenshot(page, 'ui2-swap-mid');
  await timeline.fill(String(steps));
  const bar = page.getByRole('img', { name: /^swap: \d+ kB used of 65532 kB$/ });
  const used = Number((await bar.getAttribute('aria-label')).match(/swap: (\d+) kB/)[1]);
  assert.ok(used > 4096, `swap used ${used} kB`);
  assert.match(await page.locator('.reclaim-stats').textContent(), /swap cache .* written \(\+\d+\)/);
  // The first page touched went to swap first: its PTE holds slot 1.
  await timeline.blur();
  await typeAndPause(page, 'translate 2 0x7ffff4fff000');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await page.locator('.walk-col .col-stop', { hasText: 'swap entry: type 0, offset 1' }).waitFor();
  assert.equal(await page.locator('.walk-col.lvl3 .col-flags').textContent(), 'swap: exclusive soft-dirty');
  assert.match(await page.locator('.walk-col.frame').textContent(), /in swap slot 1 \(area 0\)/);
  await screenshot(page, 'ui2-swap-walk');
  await page.close();
});
