// mm-sandbox/import: read a real machine's OOM report or /proc snapshot, in the
// page, with the kernel's own rules. Nothing is sent anywhere.
//
// The importers are a WebAssembly module of their own (mm_import_bg.wasm), apart
// from the sandbox's: a page that only embeds sandboxes never loads them. The module
// is fetched on the first call (or by `loadImporter()`, to fetch it ahead: after
// that, an import makes no request at all). The wasm-bindgen module it wraps
// (mm_import.js) is internal and may change; this file is the public API.
import initImport, { importOom as rawOom, importProc as rawProc } from './mm_import.js';

/** The files a snapshot may hold, besides `sys/vm/NAME` (one tunable per file). */
export const SNAPSHOT_FILES = Object.freeze(['meminfo', 'buddyinfo', 'pagetypeinfo', 'zoneinfo', 'slabinfo', 'sysctl']);

let ready = null;
let broken = null;

function need(cond, message) {
  if (!cond) throw new Error(`mm-sandbox: ${message}`);
}

/**
 * Fetches and compiles the importers' module, once; later calls wait for the same
 * load. `input` is optional: a URL, a Response or a WebAssembly.Module for
 * mm_import_bg.wasm. A failed load may be tried again.
 */
export function loadImporter(input) {
  if (!ready) {
    ready = initImport(input === undefined ? undefined : { module_or_path: input }).then(
      () => undefined,
      (e) => {
        ready = null;
        throw new Error(`mm-sandbox: the importer did not load (${e instanceof Error ? e.message : e})`);
      },
    );
  }
  return ready;
}

/** Runs a call into the module: a trap leaves it unusable, and says so from then on. */
function call(f) {
  need(!broken, `the importer stopped earlier (${broken}); reload the page to import again`);
  try {
    return JSON.parse(f());
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      broken = e.message;
      throw new Error(`mm-sandbox: the importer stopped (${e.message}); reload the page to import again`);
    }
    throw e;
  }
}

/**
 * Reads the kernel log of an OOM kill (v6.x, or the older `dump_tasks` layout
 * without rss_anon/rss_file/rss_shmem), replays `select_bad_process` with
 * `oom_badness` on its numbers, and builds the script of an equivalent machine.
 * Text that holds no report gives an object whose `error` says so.
 */
export async function importOom(log) {
  need(typeof log === 'string', 'importOom(log) takes the kernel log as a string');
  await loadImporter();
  return call(() => rawOom(log));
}

/**
 * Boots a machine shaped like a /proc snapshot and runs `script` (what-if commands,
 * one per line, as in the sandbox's terminal) on it. `files` maps each file's name
 * (SNAPSHOT_FILES, or `sys/vm/NAME`) to its text; `meminfo` is required.
 */
export async function importProc(files, script = '') {
  need(
    files !== null && typeof files === 'object' && !Array.isArray(files),
    'importProc(files, script) takes an object of file name to text, e.g. { meminfo: text }',
  );
  const names = [];
  const texts = [];
  for (const [name, text] of Object.entries(files)) {
    need(
      SNAPSHOT_FILES.includes(name) || /^sys\/vm\/[a-z_0-9]+$/.test(name),
      `importProc: unknown file '${name}' (one of ${SNAPSHOT_FILES.join(', ')}, or sys/vm/NAME)`,
    );
    need(typeof text === 'string', `importProc: the text of '${name}' must be a string`);
    names.push(name);
    texts.push(text);
  }
  need(typeof script === 'string', 'importProc: the what-if script must be a string');
  await loadImporter();
  return call(() => rawProc(names, texts, script));
}
