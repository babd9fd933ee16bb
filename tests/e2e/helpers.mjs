// Shared set-up for the end-to-end tests: a headless Chromium per test file, the
// app's URL, the native `mmsim` for comparisons, and screenshots under target/.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const BASE = process.env.MM_BASE_URL ?? 'http://127.0.0.1:8080/';
const SHOTS = process.env.SCREENSHOT_DIR ?? 'target/screenshots';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

// Runs a script through the native mmsim and returns its output.
export function mmsim(script, flags = []) {
  const bin = process.env.MMSIM ?? 'target/debug/mmsim';
  return execFileSync(bin, ['run', ...flags, '-'], { input: script, encoding: 'utf8', maxBuffer: 1 << 29 });
}

// The renderer processes alive now: pass them to `rendererPeakMb` to leave out
// the tabs of earlier tests, whose processes may still be exiting.
export function rendererPids() {
  const pids = new Set();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) pids.add(pid);
    } catch { /* the process ended */ }
  }
  return pids;
}

// The peak resident memory (VmHWM) of the browser's renderer processes, in MB: what
// the tab used at most, wasm memory included, leaving out the processes in
// `earlier`. Linux only (reads /proc).
export function rendererPeakMb(earlier = new Set()) {
  let peak = 0;
  for (const pid of rendererPids()) {
    if (earlier.has(pid)) continue;
    try {
      const hwm = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
      if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
    } catch { /* the process ended */ }
  }
  return Math.round(peak);
}

// Counts the animation frames each page load paints (read window.__mmFrames);
// call before goto.
export async function countFrames(page) {
  await page.addInitScript(() => {
    window.__mmFrames = 0;
    const tick = () => { window.__mmFrames += 1; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
}
