// The npm package's hand-written API (index.js) at its edges, in a real browser: freed
// snapshots, pageStates() copies, options that are not plain objects, the step
// budget, a script's work limit, the page's RAM budget across sandboxes, and a
// 40 GiB touch answered within seconds (its time and the tab's memory printed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, rendererPeakMb } from './helpers.mjs';

let browser;
let page;
before(async () => {
  browser = await launch();
  page = await browser.newPage();
  // A page of the app's origin that imports the package as a tutorial's page would.
  await page.goto(new URL('npm/package.json', BASE).href);
  await page.evaluate(async () => {
    window.mm = await import(new URL('/npm/index.js', location.href).href);
    await window.mm.default();
  });
});
after(async () => { await browser?.close(); });

// Runs `f` in the page; returns its result, or the message it threw.
const inPage = (f, arg) => page.evaluate(`(${f})(${JSON.stringify(arg ?? null)})`);

// First, so that the tab's peak memory is this test's own.
test('touch of 40 GiB on a 64G machine through the API: a clear answer within seconds', async () => {
  const r = await inPage(() => {
    const { Sandbox } = window.mm;
    const sb = new Sandbox({ mem: '64G' });
    sb.run('spawn big');
    const addr = sb.run('mmap 2 40G').output.match(/addr=(0x[0-9a-f]+)/)[1];
    const t0 = performance.now();
    const t = sb.run(`touch 2 ${addr} 40G`);
    const ms = performance.now() - t0;
    const out = {
      ms, ok: t.ok, output: t.output, events: t.events.length,
      summary: t.events.some((e) => e.kind === 'Summary'),
      meminfo: sb.read('/proc/meminfo').split('\n').slice(0, 2),
      exit: sb.run('exit 2').ok,
      freeAfter: sb.read('/proc/meminfo').split('\n')[1],
    };
    sb.free();
    return out;
  });
  console.log(`touch 40G through the API: ${(r.ms / 1000).toFixed(1)} s, ${r.events} events kept, tab peak ${rendererPeakMb()} MB`);
  assert.equal(r.ok, true);
  assert.equal(r.output, 'touched=10485760 faulted=10485760\n');
  // Not a speed target (that is `cargo xtask bench`'s figure): it did not freeze.
  assert.ok(r.ms < 120000, `${r.ms} ms`);
  assert.ok(r.events <= 100000 + 1 + 200 + 10000, `${r.events} events`);
  assert.equal(r.summary, true);
  assert.match(r.meminfo[1], /^MemFree:\s+2\d{7} kB$/);
  assert.equal(r.exit, true);
  assert.match(r.freeAfter, /^MemFree:\s+6\d{7} kB$/);
});

test('a freed snapshot, a non-snapshot and a non-plain options object give mm-sandbox errors', async () => {
  const r = await inPage(() => {
    const { Sandbox } = window.mm;
    const msg = (f) => { try { f(); return 'no error'; } catch (e) { return e.message; } };
    const sb = new Sandbox({ mem: '64M' });
    const snap = sb.snapshot();
    snap.free();
    snap.free();
    const out = {
      freed: msg(() => sb.restore(snap)),
      notSnap: msg(() => sb.restore({ machine: 1 })),
      date: msg(() => new Sandbox(new Date())),
      array: msg(() => new Sandbox(['64M'])),
      nul: msg(() => new Sandbox(null)),
      badBudget: msg(() => new Sandbox({ eventBudget: -1 })),
      stillWorks: sb.run('alloc_pages 0').ok,
    };
    sb.free();
    return out;
  });
  assert.match(r.freed, /^mm-sandbox: this snapshot was freed; take a new one with snapshot\(\)$/);
  assert.match(r.notSnap, /^mm-sandbox: restore\(\) takes a value returned by snapshot\(\)/);
  for (const k of ['date', 'array', 'nul']) assert.match(r[k], /^mm-sandbox: options must be a plain object/, k);
  assert.match(r.badBudget, /^mm-sandbox: .*eventBudget/);
  assert.equal(r.stillWorks, true);
});

test('pageStates() is a copy: writing to it changes nothing, and it survives later commands', async () => {
  const r = await inPage(() => {
    const { Sandbox, PAGE_STATES } = window.mm;
    const sb = new Sandbox({ mem: '64M' });
    const a = sb.pageStates();
    const before = Array.from(a.slice(0x1000, 0x1010));
    a.fill(0);
    const b = sb.pageStates();
    sb.run('alloc_pages 4');
    const out = {
      unchangedByWrite: Array.from(b.slice(0x1000, 0x1010)).join() === before.join(),
      ownCopy: a !== b && a.buffer !== b.buffer,
      stillValid: b.length === 16384 && Array.from(b.slice(0x1000, 0x1010)).join() === before.join(),
      names: PAGE_STATES.length,
      frozen: Object.isFrozen(PAGE_STATES),
    };
    sb.free();
    return out;
  });
  assert.deepEqual(r, { unchangedByWrite: true, ownCopy: true, stillValid: true, names: 10, frozen: true });
});

test('eventBudget cuts a long command to a summary, and failures say which kind they are', async () => {
  const r = await inPage(() => {
    const { Sandbox } = window.mm;
    const sb = new Sandbox({ mem: '64M', eventBudget: 50 });
    sb.run('spawn a');
    const mm = sb.run('mmap 2 4M').output.match(/addr=(0x[0-9a-f]+)/)[1];
    const t = sb.run(`touch 2 ${mm} 4M`);
    const out = {
      ok: t.ok,
      events: t.events.length,
      summary: t.events.filter((e) => e.kind === 'Summary')
        .map((e) => [e.steps, e.sentence.startsWith(`... and ${e.steps.toLocaleString('en-US')} more steps like these: `)]),
      rejected: sb.run('alloc_pages 11').failure,
    };
    let last;
    for (let i = 0; i < 200 && (!last || last.ok); i++) last = sb.run('alloc_pages 10');
    out.kernel = last.failure;
    out.okFailure = sb.run('help').failure;
    sb.free();
    return out;
  });
  assert.equal(r.ok, true);
  assert.ok(r.events > 50 && r.events <= 50 + 1 + 200, `${r.events} events`);
  assert.equal(r.summary.length, 1);
  assert.ok(r.summary[0][0] > 1000);
  assert.equal(r.summary[0][1], true);
  assert.equal(r.rejected, 'rejected');
  assert.equal(r.kernel, 'kernel');
  assert.equal(r.okFailure, null);
});

test('a script stops at the work limit with a result that says so', async () => {
  const r = await inPage(() => {
    const { Sandbox } = window.mm;
    const sb = new Sandbox({ mem: '64M' });
    const res = sb.runScript(Array(30).fill('boot mem=64G').join('\n'));
    const out = { n: res.length, last: res.at(-1), okBefore: res.slice(0, -1).every((x) => x.ok) };
    out.after = sb.run('cat /proc/meminfo').output.split('\n')[0];
    sb.free();
    return out;
  });
  assert.equal(r.n, 21);
  assert.equal(r.okBefore, true);
  assert.equal(r.last.ok, false);
  assert.equal(r.last.failure, 'rejected');
  assert.equal(r.last.command, 'boot mem=64G');
  assert.match(r.last.output, /^runScript: stopped before line 21 of 30: its work passed 40,000,000 steps/);
  assert.match(r.after, /^MemTotal:\s+67107840 kB$/);
});

test('many large sandboxes: a clear error at the page\'s RAM budget, room again after free()', async () => {
  const r = await inPage(() => {
    const { Sandbox } = window.mm;
    const made = [];
    let error = null;
    for (let i = 0; i < 5 && !error; i++) {
      try { made.push(new Sandbox({ mem: '40G' })); } catch (e) { error = e.message; }
    }
    const boot = made[0].run('boot mem=64G');
    made.pop().free();
    let again;
    try { made.push(new Sandbox({ mem: '40G' })); again = 'ok'; } catch (e) { again = e.message; }
    const works = made.every((s) => s.run('alloc_pages 0').ok);
    made.forEach((s) => s.free());
    return { count: made.length, error, boot: [boot.ok, boot.failure, boot.output], again, works };
  });
  assert.equal(r.count, 3);
  assert.match(r.error, /^mm-sandbox: .*128G/);
  assert.equal(r.boot[0], false);
  assert.equal(r.boot[1], 'rejected');
  assert.match(r.boot[2], /^boot: refused: /);
  assert.equal(r.again, 'ok');
  assert.equal(r.works, true);
});

// mm-sandbox/import: the importers' own module, loaded on the first call. The same
// answers as `mmsim import`, bad arguments named, and the sandbox's own OOM report
// read back to the sandbox's own victim, with a script that rebuilds its machine.
test('mm-sandbox/import reads an OOM report and a /proc snapshot', async () => {
  const r = await inPage(async () => {
    const imp = await import(new URL('/npm/import.js', location.href).href);
    const { Sandbox } = window.mm;
    const sb = new Sandbox({ mem: '256M' });
    for (const name of ['small', 'big', 'mid']) sb.run(`spawn ${name}`);
    for (const [pid, mb] of [[2, 8], [3, 40], [4, 20]]) {
      const addr = sb.run(`mmap ${pid} ${mb}M`).output.match(/addr=(0x[0-9a-f]+)/)[1];
      sb.run(`touch ${pid} ${addr} ${mb}M`);
    }
    sb.run('echo f > /proc/sysrq-trigger');
    const oom = await imp.importOom(sb.run('dmesg').output);
    const snap = await imp.importProc({ meminfo: sb.read('/proc/meminfo'), buddyinfo: sb.read('/proc/buddyinfo') }, 'cat /proc/buddyinfo\nalloc_pages 4 GFP_ATOMIC');
    const errors = [];
    for (const f of [() => imp.importOom(42), () => imp.importProc({ foo: 'x' }), () => imp.importProc([]), () => imp.importProc({ meminfo: 1 })]) {
      try { await f(); errors.push('no error'); } catch (e) { errors.push(e.message); }
    }
    const none = await imp.importOom('hello');
    return {
      victim: oom.tasks[oom.victim]?.name, reported: oom.reported?.name, same: oom.sameVictim,
      script: oom.script?.includes('echo f > /proc/sysrq-trigger'),
      buddy: snap.results[0].output, atomic: snap.results[1].ok, snapError: snap.error,
      buddyBefore: sb.read('/proc/buddyinfo'),
      errors, none: none.error,
    };
  });
  assert.equal(r.victim, 'big');
  assert.equal(r.reported, 'big');
  assert.equal(r.same, true);
  assert.equal(r.script, true);
  assert.equal(r.snapError, null);
  assert.equal(r.buddy, r.buddyBefore, 'the snapshot comes back byte for byte');
  assert.equal(r.atomic, true);
  assert.match(r.errors[0], /^mm-sandbox: importOom\(log\) takes the kernel log as a string/);
  assert.match(r.errors[1], /^mm-sandbox: importProc: unknown file 'foo'/);
  assert.match(r.errors[2], /^mm-sandbox: importProc\(files, script\) takes an object/);
  assert.match(r.errors[3], /^mm-sandbox: importProc: the text of 'meminfo' must be a string/);
  assert.match(r.none, /invoked oom-killer/);
});
