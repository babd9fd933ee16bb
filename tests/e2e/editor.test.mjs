// Lesson authoring without a server: the editor checks the lesson as the author
// types (errors by line, the step under the cursor live beside the text), Share puts
// the lesson in a link that opens on another page and passes its checks, Open file
// loads a .lesson, and a link's lesson is plain data: HTML and script in it show as
// text. Bad links, and lessons that fail their check, say why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { BASE, launch, screenshot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The address that carries `text` as a lesson, as Share makes it. */
const linkOf = (text) => `${BASE}?lesson-data=${deflateRawSync(Buffer.from(text)).toString('base64url')}`;

/** Types a command into the terminal. */
async function type(page, line) {
  const input = page.getByRole('textbox', { name: 'Command' });
  await input.fill(line);
  await input.press('Enter');
}

const LESSON = `lesson kmalloc-classes
title Which cache serves kmalloc?
summary A teacher's own lesson, shared by link.
setup boot mem=64M

step The 200-byte request
text kmalloc rounds a size up to the next size class: 200 bytes come from kmalloc-256.
task Allocate 200 bytes with kmalloc.
hint kmalloc 200
check output cache=kmalloc-256
solution kmalloc 200

step Predict the class
predict kmalloc 1000
question Which cache serves kmalloc 1000?
answer key cache
choice kmalloc-512
choice kmalloc-1k
expect kmalloc-1k
explain 1000 bytes do not fit in 512, so the next class up, 1k, serves them.
`;

test('the editor checks as the author types, names the line of an error, and shows the step live', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${BASE}?demo=0`);
  await page.getByRole('button', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: 'Write a lesson' }).click();
  const status = page.locator('.editor-check');
  await page.getByText('✓ lesson check passes: 1 step(s)').waitFor();
  // The template's step is open beside the text, as a student gets it.
  await page.locator('.editor-live #lesson-title').waitFor();
  assert.match(await page.locator('.editor-live #lesson-title').textContent(), /My first lesson · step 1 of 1: Allocate a block/);
  // An error names its line; its button puts the cursor there.
  const text = page.getByRole('textbox', { name: /Lesson text/ });
  await text.fill((await text.inputValue()).replace('check event Split', 'check bogus Split'));
  await status.getByRole('button', { name: 'line 11' }).waitFor();
  assert.match(await status.textContent(), /lesson check fails:line 11 unknown check 'bogus'/);
  await status.getByRole('button', { name: 'line 11' }).click();
  assert.match(await page.locator('label[for=lesson-text]').textContent(), /^Lesson text \(line 11;/);
  // A whole lesson typed in: both steps pass, and the cursor's step opens live.
  await text.fill(LESSON);
  await page.getByText('✓ lesson check passes: 2 step(s)').waitFor();
  await text.evaluate((t) => { const at = t.value.indexOf('predict kmalloc'); t.setSelectionRange(at, at); t.focus(); });
  await text.press('ArrowRight');
  await page.locator('.editor-live .predict').waitFor();
  assert.match(await page.locator('.editor-live #lesson-title').textContent(), /step 2 of 2: Predict the class/);
  await screenshot(page, 'editor');
  // A step whose goal is already met names its line; the steps before it still pass.
  await text.fill(LESSON.replace('check output cache=kmalloc-256', 'check processes >= 0'));
  await status.getByRole('button', { name: 'line 6' }).waitFor();
  assert.match(await status.textContent(), /the goal is met before the student does anything/);
  await context.close();
});

test('Share puts the lesson in a link; it opens on another page and passes its checks', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await page.goto(`${BASE}?demo=0`);
  await page.getByRole('button', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: 'Write a lesson' }).click();
  await page.getByRole('textbox', { name: /Lesson text/ }).fill(LESSON);
  await page.getByText('✓ lesson check passes: 2 step(s)').waitFor();
  await page.getByRole('button', { name: 'Share link' }).click();
  const result = page.locator('.share-result');
  await result.waitFor();
  assert.match(await result.textContent(), /^Link copied \(\d+ characters\)/);
  const link = await result.getByRole('link').getAttribute('href');
  assert.ok(link.length < 8000, `${link.length} characters`);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  // Another page (a student's browser) opens it.
  const other = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const student = await other.newPage();
  const requests = [];
  student.on('request', (r) => requests.push(r.url()));
  await student.goto(link);
  await student.locator('.lesson').waitFor();
  assert.match(await student.locator('#lesson-title').textContent(), /^Which cache serves kmalloc\? · step 1 of 2: The 200-byte request$/);
  await type(student, 'kmalloc 200');
  await student.locator('.lesson .check.done').waitFor();
  // The address keeps the lesson and the step.
  await student.getByRole('button', { name: 'Next step' }).click();
  assert.match(student.url(), /lesson-data=.*&step=2$/);
  await student.locator('.predict').getByLabel('kmalloc-1k', { exact: true }).check();
  await student.getByRole('button', { name: 'Check my prediction' }).click();
  assert.match(await student.locator('.graded').textContent(), /^✓ Right/);
  await student.locator('.lesson .check.done').waitFor();
  // The lesson came in the link: nothing but the app and the course was fetched.
  assert.deepEqual(requests.filter((u) => !u.startsWith(new URL(BASE).origin)), []);
  // A reload opens the same step.
  await student.reload();
  await student.locator('.predict').waitFor();
  assert.match(await student.locator('#lesson-title').textContent(), /step 2 of 2/);
  await screenshot(student, 'shared-lesson');
  await other.close();
  await context.close();
});

test('a lesson from a link is plain data: script and HTML in it show as text', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const evil = LESSON
    .replace('title Which cache serves kmalloc?', 'title <script>window.__pwned = 1</script><b>bold?</b>')
    .replace('text kmalloc rounds', 'text <img src=x onerror="window.__pwned = 2"> <a href="javascript:window.__pwned=3">click</a> kmalloc rounds')
    .replace('hint kmalloc 200', 'hint <iframe src="javascript:parent.__pwned=4"></iframe>');
  await page.goto(linkOf(evil));
  await page.locator('.lesson').waitFor();
  await page.getByRole('button', { name: 'Hint' }).click();
  assert.match(await page.locator('#lesson-title').textContent(), /^<script>window.__pwned = 1<\/script><b>bold\?<\/b> · step 1 of 2/);
  assert.match(await page.locator('.lesson').textContent(), /<img src=x onerror="window.__pwned = 2">/);
  assert.equal(await page.locator('.lesson script, .lesson img, .lesson b, .lesson a, .lesson iframe').count(), 0);
  await page.getByRole('button', { name: 'All lessons' }).click();
  assert.equal(await page.locator('.lesson-index script, .lesson-index b').count(), 0);
  assert.match(await page.locator('.lesson-index').textContent(), /<script>window.__pwned = 1<\/script>/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await screenshot(page, 'shared-lesson-as-text');
  await page.close();
});

test('bad lesson links say why; a lesson that fails its check opens in the editor', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${BASE}?lesson-data=not-a-lesson`);
  await page.locator('.notices').waitFor();
  assert.match(await page.locator('.notices').textContent(), /The lesson in this link was not opened: its lesson-data is not a lesson that Share made/);
  // A deflate bomb: 100 KB of one letter, a few hundred bytes in the link.
  await page.goto(linkOf('#'.repeat(100 << 10)));
  await page.locator('.notices').waitFor();
  assert.match(await page.locator('.notices').textContent(), /its lesson inflates past 64 KiB/);
  // A lesson whose goal is met before the student does anything.
  await page.goto(linkOf(LESSON.replace('check output cache=kmalloc-256', 'check processes >= 0')));
  await page.locator('.editor').waitFor();
  assert.match(await page.locator('.notices').textContent(), /This lesson does not pass lesson check \(line 6: .*the goal is met/);
  assert.equal(await page.getByRole('textbox', { name: /Lesson text/ }).inputValue(), LESSON.replace('check output cache=kmalloc-256', 'check processes >= 0'));
  // A lesson too large for a link is refused by Share, which says how long it is.
  const big = LESSON + Array.from({ length: 300 }, (_, i) => `# note ${i}: ${randomBytes(30).toString('base64')}`).join('\n') + '\n';
  await page.getByRole('textbox', { name: /Lesson text/ }).fill(big);
  await page.getByText('✓ lesson check passes: 2 step(s)').waitFor();
  await page.getByRole('button', { name: 'Share link' }).click();
  assert.match(await page.locator('.share-result').textContent(),
    /^Not shared: its link would have [\d,]+ characters, past the 8,000 that browsers, servers and mail programs all keep whole; share the \.lesson file instead/);
  await page.close();
});

test('Open a .lesson file starts it; a file that is too large is refused before it is read', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${BASE}?demo=0`);
  await page.getByRole('button', { name: 'Lessons' }).click();
  const open = async (name, text) => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Open a .lesson file' }).click();
    await (await chooser).setFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
  };
  await open('kmalloc.lesson', LESSON);
  await page.locator('.lesson').waitFor();
  assert.match(await page.locator('#lesson-title').textContent(), /^Which cache serves kmalloc\? · step 1 of 2/);
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  assert.equal(await page.getByRole('textbox', { name: /Lesson text/ }).inputValue(), LESSON);
  await page.getByRole('button', { name: 'Close editor' }).click();
  await page.getByRole('button', { name: 'All lessons' }).click();
  await open('huge.lesson', 'x'.repeat(70 << 10));
  await page.locator('.notices').waitFor();
  assert.match(await page.locator('.notices').textContent(), /The lesson file was not opened: the file has 71,680 bytes, and mm-sandbox reads at most 64 KiB of one\./);
  await page.close();
});
