// Shared set-up for the end-to-end tests: a headless Chromium per test file, the
// app's URL, the native `mmsim` for comparisons, and screenshots under target/.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
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
  return execFileSync(bin, ['run', ...flags, '-'], { input: script, encoding: 'utf8' });
}
