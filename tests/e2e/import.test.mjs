// Bring your own machine, in the browser (import.html, with the npm package's
// importers): an OOM report pasted there is read in the page (no request leaves it),
// its badness bars grow task by task, and "Build this machine" starts an app session
// from the equivalent machine, whose own OOM killer then decides. The machine is kept
// in localStorage: the address says only ?import=local, a reload builds it again, and
// a link with the numbers is made only after a warning. A /proc snapshot boots on
// the page and answers what-if commands, and is kept for a reload too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, launch, screenshot } from './helpers.mjs';

const fixture = (p) => new URL(`../../crates/mm-core/tests/fixtures/${p}`, import.meta.url);
const REPORT = readFileSync(fixture('oom/web2_lesson.log'), 'utf8');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function importPage(context) {
  const page = await context.newPage();
  await page.goto(`${BASE}import.html`);
  await page.getByText('The importer is ready.').waitFor({ timeout: 60000 });
  return page;
}

test('an OOM report is read in the page, replayed, and built into a machine', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  // The app's header leads to the import page.
  const app = await context.newPage();
  await app.goto(`${BASE}?demo=0`);
  await app.getByRole('link', { name: 'Import a machine' }).click();
  await app.waitForURL(/import\.html$/);
  await app.close();
  const page = await importPage(context);
  // Every request from here on is recorded: importing must make none.
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));

  await page.getByLabel('Kernel log').fill(REPORT);
  await page.getByRole('button', { name: 'Read the report' }).click();
  const rows = page.locator('.oom-bars li');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 8);
  // The bars grow one after another: early on, the last one is still narrow.
  const early = await rows.last().locator('.bar').evaluate((b) => b.getBoundingClientRect().width);
  // Mid-animation: the first bars grown, the victim's still to come.
  await page.waitForTimeout(600);
  await screenshot(page, 'import-bars-growing');
  await page.waitForTimeout(2000);
  const late = await rows.last().locator('.bar').evaluate((b) => b.getBoundingClientRect().width);
  assert.ok(late > early, `the victim's bar grows (${early} -> ${late})`);
  assert.match(await rows.last().textContent(), /2817 mysqldump.*196389: the victim/);
  assert.match(await rows.nth(2).textContent(), /733 mysqld.*-104384/);
  assert.match(await page.locator('.verdict').textContent(), /picks the report's victim: mysqldump \(pid 2817\)/);
  const explain = await page.locator('#oom-result pre').textContent();
  assert.match(explain, /Verdict: mm-sandbox picks 2817 \(mysqldump\), the same victim as the report\./);
  assert.match(explain, /Equivalent machine: \d+ commands/);
  assert.deepEqual(requests, [], 'nothing was requested while importing');
  await screenshot(page, 'import-read');

  // Build the machine: the app's session runs its script; the last command's OOM
  // decision plays in the OOM panel.
  await page.getByRole('button', { name: /Build this machine/ }).click();
  await page.waitForURL(/\?import=local$/);
  await page.waitForFunction(() => document.querySelector('.terminal')?.textContent.includes('Killed process 9 (mysqldump)'), null, { timeout: 120000 });
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('import'), 'local');
  assert.equal(url.searchParams.get('script'), null, 'the report is not in the address');
  await page.locator('.imported-bar').waitFor();
  await screenshot(page, 'import-built');

  // A reload builds the same machine from this browser's storage.
  await page.reload();
  await page.waitForFunction(() => document.querySelector('.terminal')?.textContent.includes('Killed process 9 (mysqldump)'), null, { timeout: 120000 });
  assert.equal(new URL(page.url()).searchParams.get('import'), 'local');

  // A link with the numbers only after the warning.
  let warned = '';
  page.once('dialog', async (d) => { warned = d.message(); await d.accept(); });
  await page.getByRole('button', { name: 'Share link…' }).click();
  assert.match(warned, /contains the imported machine/);
  await page.locator('.notices').getByText(/Copied a link with the imported machine/).waitFor();

  // Forgetting it leaves a default machine and an address without it.
  await page.getByRole('button', { name: 'Forget it' }).click();
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('import'));
  assert.equal(await page.evaluate(() => localStorage.getItem('mm-sandbox-import')), null);
  assert.equal(await page.locator('.imported-bar').count(), 0);
  await context.close();
});

test('a malformed report names its bad lines, and text that is no report is refused', async () => {
  const context = await browser.newContext();
  const page = await importPage(context);
  await page.getByLabel('Kernel log').fill('hello\nworld\n');
  await page.getByRole('button', { name: 'Read the report' }).click();
  await page.locator('#oom-result .error').waitFor();
  assert.match(await page.locator('#oom-result .error').textContent(), /invoked oom-killer/);
  assert.equal(await page.locator('.oom-bars').count(), 0);
  await page.getByLabel('Kernel log').fill(REPORT.replace('Mem-Info:', 'Mem-Info:\nNov 27 02:17:41 web2 kernel: something odd here'));
  await page.getByRole('button', { name: 'Read the report' }).click();
  await page.locator('#oom-result pre').waitFor();
  assert.match(await page.locator('#oom-result pre').textContent(), /Not understood \(left out\):\n  line \d+: .*something odd here/);
  assert.match(await page.locator('#oom-result').textContent(), /1 line\(s\) not understood/);
  await context.close();
});

test('a /proc snapshot boots in the page and answers what-if commands', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await importPage(context);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const dir = 'proc/two_nodes_thp_cma';
  await page.locator('#proc-files').setInputFiles(['meminfo', 'buddyinfo', 'pagetypeinfo', 'sysctl'].map((f) => fixture(`${dir}/${f}`).pathname));
  await page.locator('#proc-list').getByText('Files: meminfo, buddyinfo, pagetypeinfo, sysctl').waitFor();
  await page.getByRole('button', { name: 'Boot it and run' }).click();
  const out = page.locator('#proc-result pre.out');
  await out.waitFor({ timeout: 60000 });
  const text = await out.textContent();
  // Refused under overcommit_memory=2 (Committed_AS past CommitLimit), granted under 0.
  const mmaps = text.split('$ mmap 1 4G\n').slice(1).map((s) => s.split('\n')[0]);
  assert.equal(mmaps.length, 2);
  assert.match(mmaps[0], /ENOMEM/);
  assert.doesNotMatch(mmaps[1], /ENOMEM/);
  assert.match(text, /\$ cat \/proc\/buddyinfo\nNode 0, zone +DMA/);
  const explain = await page.locator('#proc-result details pre').textContent();
  assert.match(explain, /CMA/);
  // The free memory by block size, before and after the commands, zone by zone.
  assert.equal(await page.locator('#proc-result table.free').count(), 6);
  assert.match(await page.locator('#proc-result table.free caption').first().textContent(), /^DMA: 2,816 free pages/);
  assert.deepEqual(requests, [], 'nothing was requested while importing');
  await screenshot(page, 'import-proc');

  // Kept in this browser: a reload restores the files and the script.
  await page.reload();
  await page.getByText('The importer is ready.').waitFor({ timeout: 60000 });
  await page.locator('#proc-list').getByText(/your last snapshot/).waitFor();
  await page.getByRole('button', { name: 'Forget the snapshot' }).click();
  assert.equal(await page.evaluate(() => localStorage.getItem('mm-sandbox-import-proc')), null);
  await context.close();
});

test('help NAME in the app shows the details fetched from help/details.txt', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The details arrive with the app: wait until the file has been fetched.
  const fetched = page.waitForResponse((r) => r.url().endsWith('help/details.txt'));
  await page.goto(`${BASE}?demo=0`);
  const input = page.locator('.terminal input');
  await input.waitFor();
  await fetched;
  await input.fill('help mmap');
  await input.press('Enter');
  await page.waitForFunction(() => document.querySelector('.terminal')?.textContent.includes('Addresses are chosen top-down below mmap_base'));
  assert.doesNotMatch(await page.locator('.terminal').textContent(), /explains it in full/);
  await input.fill('help limits');
  await input.press('Enter');
  await page.waitForFunction(() => document.querySelector('.terminal')?.textContent.includes("mm-sandbox's limits, so that no input can freeze the page"));
  await context.close();
});
