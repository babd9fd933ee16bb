// A tutorial author's first try: `npm pack` the package, install the tarball in a
// fresh Vite project, paste the npm README's snippet as it is written, build for
// production with Vite's defaults, and open the page in Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, normalize, resolve } from 'node:path';
import { build } from 'vite';
import { launch, screenshot } from './helpers.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');
const PACKAGE = join(ROOT, 'target', 'npm', 'mm-sandbox');

let browser;
let work;
before(async () => { browser = await launch(); work = mkdtempSync(join(tmpdir(), 'mm-vite-')); });
after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

// The first ```js block of the package's README.
function readmeSnippet() {
  const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
  const m = readme.match(/```js\n([\s\S]*?)```/);
  assert.ok(m, 'the README has a js snippet');
  return m[1];
}

// Serves a folder over HTTP on a free port; returns [url, close].
async function serve(dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dir) || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return [`http://127.0.0.1:${server.address().port}/`, () => server.close()];
}

test('the packed package and its README snippet work in a fresh Vite production build', async () => {
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: PACKAGE, encoding: 'utf8' }).trim();
  const project = join(work, 'article');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({
    name: 'article', private: true, type: 'module', dependencies: { 'mm-sandbox': `file:../${tarball}` },
  }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent'], { cwd: project });
  writeFileSync(join(project, 'index.html'), `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>An article</title></head>
    <body><p>An article about the buddy allocator.</p><pre id="out"></pre><script type="module" src="/main.js"></script></body></html>`);
  // The snippet as written, then a few lines that show a result on the page.
  writeFileSync(join(project, 'main.js'), `${readmeSnippet()}
init().then(() => {
  const sb = new Sandbox({ mem: '64M' });
  document.getElementById('out').textContent = sb.run('alloc_pages 2').output + sb.read('/proc/buddyinfo');
  document.body.dataset.state = 'ready';
});
`);
  await build({ root: project, logLevel: 'warn', configFile: false, build: { outDir: join(project, 'dist') } });
  const [url, close] = await serve(join(project, 'dist'));
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.locator('body[data-state="ready"]').waitFor({ timeout: 15000 });
    const out = await page.locator('#out').textContent();
    assert.match(out, /^pfn=0x[0-9a-f]+ order=2 zone=DMA32\nNode 0, zone      DMA /);
    assert.deepEqual(errors, []);
    await screenshot(page, 'vite-article');
    await page.close();
  } finally {
    close();
  }
});
