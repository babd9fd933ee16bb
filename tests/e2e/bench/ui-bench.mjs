// UI benchmarks in headless Chromium (run by `cargo xtask bench`, not by the tests):
// time to first render on a local server, and the frame time while the playhead
// animates on a 16 GiB machine (4M pages on the map).
import { chromium } from 'playwright-core';

const BASE = process.env.MM_BASE_URL ?? 'http://127.0.0.1:8080/';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
});

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const at = (q) => s[Math.min(s.length - 1, Math.floor(s.length * q))];
  return { mean, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1], n: s.length };
}

// Time to first render: navigation start to the app's first render (median of 5 loads).
const firsts = [];
for (let i = 0; i < 5; i++) {
  const page = await browser.newPage();
  await page.goto(BASE);
  await page.waitForFunction(() => window.__mmFirstRender !== undefined);
  firsts.push(await page.evaluate(() => window.__mmFirstRender));
  await page.close();
}
firsts.sort((a, b) => a - b);
console.log(`time to first render (default 1G machine): median ${firsts[2].toFixed(0)} ms (target < 1000 ms; loads: ${firsts.map((x) => x.toFixed(0)).join(', ')})`);

// Frame time while animating on a 16 GiB machine.
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
const script = ['boot mem=16G', ...Array.from({ length: 30 }, (_, i) => `alloc_pages ${i % 4}`)].join('\n');
// Normal speed: every step tweens the Blocks drawing and the map follows the block.
await page.goto(`${BASE}?script=${encodeURIComponent(script)}&speed=normal`);
await page.locator('.terminal .entry').nth(30).waitFor({ timeout: 60000 });
await page.getByRole('button', { name: 'Reset' }).waitFor();
await page.keyboard.press('Home');
await page.evaluate(() => { window.__mmDrawMs = []; });
const frames = await page.evaluate(async () => {
  const button = (text) => [...document.querySelectorAll('.transport button')].find((b) => b.textContent.startsWith(text));
  button('Play').click();
  const deltas = [];
  let last = performance.now();
  await new Promise((done) => {
    const start = last;
    function tick(now) {
      deltas.push(now - last);
      last = now;
      if (now - start < 6000 && button('Pause')) requestAnimationFrame(tick);
      else done();
    }
    requestAnimationFrame(tick);
  });
  return deltas.slice(1);
});
const draws = await page.evaluate(() => window.__mmDrawMs);
const paints = await page.evaluate(() => window.__mmPaintMs ?? []);
const steps = await page.locator('.step-count').textContent();
const st = stats(frames);
const dr = stats(draws);
const pt = stats(paints);
console.log(`map redraws while animating on 16G: ${dr.n} draws, mean ${dr.mean.toFixed(1)} ms, p95 ${dr.p95.toFixed(1)} ms, max ${dr.max.toFixed(1)} ms (playhead reached ${steps})`);
console.log(`Blocks tween frames painted: ${pt.n}, work per frame p50 ${pt.p50.toFixed(2)} ms, p99 ${pt.p99.toFixed(2)} ms, max ${pt.max.toFixed(2)} ms`);
console.log(`frame time animating on 16G (4,194,304 pages), Blocks tweening and the map following: p50 ${st.p50.toFixed(1)} ms, p99 ${st.p99.toFixed(1)} ms, mean ${st.mean.toFixed(1)} ms, max ${st.max.toFixed(1)} ms over ${st.n} frames (target p99 <= 16.7 ms)`);
await browser.close();
