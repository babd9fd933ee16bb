// Export for lectures and notes: the session as a script and a transcript (the same
// text `mmsim run --echo` prints), the memory map as a PNG, a command's animation as
// a WebM video with more than one distinct frame, and lesson progress carried out of
// the browser and back in as a file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, launch, mmsim, screenshot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const SCRIPT = ['boot mem=64M', 'spawn app', 'mmap 2 64K', 'touch 2 0x7ffff7fef000 64K', 'fork 2', 'write 3 0x7ffff7fef000', 'alloc_pages 3', 'kmalloc 200', 'cat /proc/buddyinfo'];

/** Clicks an Export item and returns the saved file's path and name. */
async function exported(page, item) {
  const menu = page.locator('details.export');
  if (!(await menu.evaluate((d) => d.open))) await menu.locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }),
    page.getByRole('button', { name: item }).click()]);
  return { path: await download.path(), name: download.suggestedFilename() };
}

test('the exported script and transcript are the session, and the transcript is mmsim run --echo', async () => {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${BASE}?speed=instant&script=${encodeURIComponent(SCRIPT.join('\n'))}`);
  await page.waitForFunction((n) => document.querySelectorAll('.terminal .entry').length === n && !document.querySelector('.loading'), SCRIPT.length);
  const script = await exported(page, 'Script (.mm)');
  assert.equal(script.name, 'mm-sandbox-session.mm');
  assert.equal(readFileSync(script.path, 'utf8'), SCRIPT.join('\n') + '\n');
  const transcript = await exported(page, 'Transcript (.txt)');
  assert.equal(readFileSync(transcript.path, 'utf8'), mmsim(SCRIPT.join('\n') + '\n', ['--echo']));
  const png = await exported(page, 'Memory map (PNG)');
  assert.equal(png.name, 'mm-sandbox-memory-map.png');
  assert.deepEqual([...readFileSync(png.path).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const blocks = await exported(page, 'Blocks (PNG)');
  assert.ok(readFileSync(blocks.path).length > 1000);
  await screenshot(page, 'export-menu');
  await context.close();
});

test('recording a command saves a WebM that decodes to more than one distinct frame', async () => {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${BASE}?speed=instant&script=${encodeURIComponent('boot mem=64M\nalloc_pages 3')}`);
  await page.waitForFunction(() => document.querySelectorAll('.terminal .entry').length === 2 && !document.querySelector('.loading'));
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('very fast');
  const video = await exported(page, 'Record this command (WebM)');
  assert.equal(video.name, 'mm-sandbox-command.webm');
  const bytes = readFileSync(video.path);
  assert.deepEqual([...bytes.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3], 'an EBML (WebM) header');
  // Decode it in the page: draw each frame the video shows and count distinct ones.
  const distinct = await page.evaluate(async (b64) => {
    const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'video/webm' });
    const v = document.createElement('video');
    v.muted = true;
    v.src = URL.createObjectURL(blob);
    document.body.appendChild(v);
    const c = document.createElement('canvas');
    const seen = new Set();
    await new Promise((resolve) => {
      const frame = () => {
        c.width = v.videoWidth; c.height = v.videoHeight;
        const g = c.getContext('2d');
        g.drawImage(v, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data;
        let h = 0;
        for (let i = 0; i < d.length; i += 97) h = (h * 31 + d[i]) | 0;
        seen.add(h);
        if (!v.ended) v.requestVideoFrameCallback(frame);
      };
      v.requestVideoFrameCallback(frame);
      v.onended = resolve;
      v.play();
      setTimeout(resolve, 20000);
    });
    return seen.size;
  }, bytes.toString('base64'));
  assert.ok(distinct > 1, `${distinct} distinct frame(s)`);
  await context.close();
});

test('lesson progress exports to a file and imports into another browser; a bad file is refused with its line', async () => {
  const first = await browser.newContext({ acceptDownloads: true, viewport: { width: 1300, height: 900 } });
  let page = await first.newPage();
  await page.goto(`${BASE}?demo=0`);
  await page.evaluate(() => localStorage.setItem('mm-sandbox-progress', 'pages/1,pages/2,cow/1'));
  await page.reload();
  await page.getByRole('button', { name: 'Lessons' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export progress' }).click()]);
  const saved = readFileSync(await download.path());
  assert.match(saved.toString('utf8'), /^# mm-sandbox lesson progress.*\ncow\/1\npages\/1\npages\/2\n$/);
  await first.close();
  // A fresh browser: nothing done, then the file.
  const second = await browser.newContext({ viewport: { width: 1300, height: 900 } });
  page = await second.newPage();
  await page.goto(`${BASE}?demo=0`);
  await page.getByRole('button', { name: 'Lessons' }).click();
  const pages = page.locator('.lesson-index > li').filter({ has: page.getByRole('button', { name: 'Pages and physical memory', exact: true }) });
  assert.match(await pages.locator('.progress').textContent(), /0\/3 steps done/);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import progress' }).click()]);
  await chooser.setFiles({ name: 'mm-sandbox-progress.txt', mimeType: 'text/plain', buffer: saved });
  await page.locator('.notices').waitFor();
  assert.match(await page.locator('.notices').textContent(), /3 step\(s\) newly marked done/);
  assert.match(await pages.locator('.progress').textContent(), /2\/3 steps done/);
  await page.reload();
  await page.getByRole('button', { name: 'Lessons' }).click();
  assert.match(await pages.locator('.progress').textContent(), /2\/3 steps done/, 'saved in this browser too');
  const [again] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import progress' }).click()]);
  await again.setFiles({ name: 'bad.txt', mimeType: 'text/plain', buffer: Buffer.from('pages/3\n<img src=x onerror=alert(1)>\n') });
  await page.waitForFunction(() => document.querySelector('.notices')?.textContent.includes('not imported'));
  assert.match(await page.locator('.notices').textContent(), /line 2: '<img src=x onerror=alert\(1\)>' is not a lesson\/step/);
  assert.match(await pages.locator('.progress').textContent(), /2\/3 steps done/, 'a refused file changes nothing');
  await second.close();
});
