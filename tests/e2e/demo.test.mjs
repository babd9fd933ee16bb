// The plain-HTML embedding demo and the npm package's public API, in a real browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, screenshot, mmsim } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the demo page runs its script with the package and shows the output', async () => {
  const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL('demo.html', BASE).href);
  await page.locator('#mm-demo[data-state="ready"]').waitFor({ timeout: 15000 });
  const outputs = await page.locator('#mm-demo .mm-out').allTextContents();
  const expected = mmsim('boot mem=64M\ncat /proc/buddyinfo\nalloc_pages 3\nalloc_pages 0\ncat /proc/buddyinfo\n')
    .split('\n').slice(1).join('\n');
  assert.equal(outputs.join(''), expected);
  const input = page.getByRole('textbox', { name: 'Command' });
  await input.fill('cat /proc/meminfo | head -n 1');
  await input.press('Enter');
  assert.equal(await page.locator('#mm-demo .mm-out').last().textContent(), 'MemTotal:          64512 kB\n');
  await screenshot(page, 'demo-page');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the public API: every method, and wrong input throws clear errors', async () => {
  const page = await browser.newPage();
  // A page of the same origin that does not load the package itself, so that the
  // "before init" case really runs before init.
  await page.goto(new URL('npm/package.json', BASE).href);
  const result = await page.evaluate(async () => {
    const mod = await import(new URL('/npm/index.js', location.href).href);
    const { default: init, Sandbox, PAGE_STATES, VERSION } = mod;
    const out = {};
    try { new Sandbox(); } catch (e) { out.beforeInit = e.message; }
    await init();
    const sb = new Sandbox({ mem: '64M', cpus: 2 });
    const r = sb.run('alloc_pages 2');
    out.run = { ok: r.ok, output: r.output, kinds: r.events.map((e) => e.kind), text: r.events[0].text };
    out.script = sb.runScript('alloc_pages 0\nbogus\nalloc_pages 1', { stopOnError: true }).map((x) => x.ok);
    out.read = sb.read('/proc/buddyinfo').split('\n')[0];
    out.zones = sb.zones().map((z) => z.name);
    out.caches = sb.caches().length;
    out.procs = sb.processes().map((p) => p.comm);
    const states = sb.pageStates();
    out.pages = [states.length, PAGE_STATES[states[0]], PAGE_STATES[states[0x1000]]];
    const snap = sb.snapshot();
    sb.run('alloc_pages 6');
    sb.restore(snap);
    out.restored = sb.read('/proc/buddyinfo').split('\n')[0] === out.read;
    snap.free();
    out.commands = Sandbox.commands().includes('kmalloc');
    const errs = [];
    for (const bad of [() => sb.run(42), () => sb.read('/proc/nope'), () => new Sandbox({ mem: 'lots' }),
      () => new Sandbox({ colour: 'blue' }), () => sb.restore({}), () => new Sandbox('64M')]) {
      try { bad(); errs.push('no error'); } catch (e) { errs.push(e instanceof Error ? e.message : String(e)); }
    }
    out.errors = errs;
    out.stillWorks = sb.run('alloc_pages 0').ok;
    sb.free();
    try { sb.run('help'); } catch (e) { out.afterFree = e.message; }
    out.version = VERSION;
    return out;
  });
  assert.match(result.beforeInit, /^mm-sandbox: call `await init\(\)`/);
  assert.equal(result.run.ok, true);
  assert.match(result.run.output, /^pfn=0x[0-9a-f]+ order=2 zone=DMA32\n$/);
  assert.equal(result.run.kinds[0], 'AllocStart');
  assert.match(result.run.text, /^__alloc_pages: /);
  assert.deepEqual(result.script, [true, false]);
  assert.match(result.read, /^Node 0, zone      DMA /);
  assert.deepEqual(result.zones, ['DMA', 'DMA32']);
  assert.ok(result.caches > 50);
  assert.deepEqual(result.procs, ['init']);
  assert.deepEqual(result.pages, [16384, 'reserved', 'slab']);
  assert.equal(result.restored, true);
  assert.equal(result.commands, true);
  assert.match(result.errors[0], /^mm-sandbox: run\(\) takes a string/);
  assert.match(result.errors[1], /No such file or directory/);
  assert.match(result.errors[2], /not a size/);
  assert.match(result.errors[3], /unknown option 'colour'/);
  assert.match(result.errors[4], /^mm-sandbox: restore\(\) takes a value returned by snapshot\(\)/);
  assert.match(result.errors[5], /^mm-sandbox: options must be a plain object/);
  assert.equal(result.stillWorks, true);
  assert.match(result.afterFree, /^mm-sandbox: this Sandbox was freed/);
  assert.equal(result.version, '0.2.0');
  await page.close();
});
