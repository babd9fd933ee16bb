// mm-sandbox: a kernel-exact Linux memory-management simulator for your pages.
// This file is the package's public API (see index.d.ts and README.md); the
// wasm-bindgen module it wraps (mm_wasm.js) is internal and may change.
import initWasm, { Sandbox as RawSandbox } from './mm_wasm.js';

/** The package's version. */
export const VERSION = '0.2.0';

/** What each byte of `pageStates()` means. */
export const PAGE_STATES = Object.freeze(['free', 'reserved', 'kernel', 'slab', 'page table', 'user', 'per-cpu list', 'kernel stack', 'large kmalloc', 'page cache']);

let wasm = null;

/**
 * Loads the WebAssembly module. Call once, and wait for it, before `new Sandbox()`.
 * `input` is optional: a URL, a Response or a WebAssembly.Module for the .wasm file.
 */
export default async function init(input) {
  if (!wasm) {
    wasm = await initWasm(input === undefined ? undefined : { module_or_path: input });
  }
  return VERSION;
}

function need(cond, message) {
  if (!cond) throw new Error(`mm-sandbox: ${message}`);
}

function isPlainObject(v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Calls into the module, turning its errors into `mm-sandbox:` errors. A trap (a bug
 * in the simulator, or wasm memory exhausted) leaves the module unusable: it is
 * reported as such and the sandbox is given up.
 */
function call(owner, f) {
  try {
    return f();
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      owner?.giveUp?.();
      throw new Error(`mm-sandbox: the simulator stopped (${e.message}); reload the page to start again`);
    }
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(msg.startsWith('mm-sandbox:') ? msg : `mm-sandbox: ${msg}`);
  }
}

/** A saved machine: give it to `restore()`; `free()` it when done. */
export class Snapshot {
  #raw;

  /** @internal */
  constructor(raw) {
    this.#raw = raw;
  }

  /** @internal The wasm object, or null once freed. */
  static raw(snap) {
    return snap instanceof Snapshot ? snap.#raw : undefined;
  }

  /** Releases the saved machine. It cannot be restored afterwards. */
  free() {
    if (this.#raw) {
      this.#raw.free();
      this.#raw = null;
    }
  }
}

/** A simulated machine. */
export class Sandbox {
  #raw;

  /**
   * Boots a machine. Options (all optional): { mem: '64M', cpus: 2, swap: '0',
   * pcp: false, caches: 'minimal'|'typical', la57: false, eventBudget: 100000 }.
   */
  constructor(options = {}) {
    need(wasm, 'call `await init()` (or `init().then(...)`) before `new Sandbox()`');
    need(isPlainObject(options), 'options must be a plain object such as { mem: "64M" }');
    this.#raw = call(this, () => new RawSandbox(options));
  }

  #live() {
    need(this.#raw, 'this Sandbox was freed (or stopped); create a new one');
    return this.#raw;
  }

  /** @internal After a trap the machine cannot be trusted. */
  giveUp() {
    this.#raw = null;
  }

  /**
   * Runs one command line; returns { command, ok, failure, output, events }. A command
   * the kernel refuses gives ok: false (failure 'rejected': nothing changed; 'kernel':
   * the kernel tried and failed), not an exception.
   */
  run(line) {
    need(typeof line === 'string', 'run() takes a string, e.g. sb.run("alloc_pages 2")');
    const raw = this.#live();
    return call(this, () => raw.run(line));
  }

  /** Runs a script (one command per line, # comments); returns one result per command. */
  runScript(text, { stopOnError = false } = {}) {
    need(typeof text === 'string', 'runScript() takes a string');
    const raw = this.#live();
    return call(this, () => raw.runScript(text, Boolean(stopOnError)));
  }

  /** Reads a /proc file, e.g. '/proc/buddyinfo'. Throws if there is no such file. */
  read(path) {
    need(typeof path === 'string', 'read() takes a path string, e.g. "/proc/meminfo"');
    const raw = this.#live();
    return call(this, () => raw.read(path));
  }

  /** Populated zones with their free areas and watermarks. */
  zones() {
    const raw = this.#live();
    return call(this, () => raw.zones());
  }

  /** Slab caches, newest first, as /proc/slabinfo lists them. */
  caches() {
    const raw = this.#live();
    return call(this, () => raw.caches());
  }

  /** Processes with their VMAs and OOM scores. */
  processes() {
    const raw = this.#live();
    return call(this, () => raw.processes());
  }

  /**
   * One byte per page frame (see PAGE_STATES), as a Uint8Array of your own: a copy,
   * so writing to it changes nothing, and it stays valid however the machine changes.
   */
  pageStates() {
    const raw = this.#live();
    return call(this, () => raw.pageStates());
  }

  /** Saves the machine. Free the snapshot with snap.free() when done. */
  snapshot() {
    const raw = this.#live();
    return new Snapshot(call(this, () => raw.snapshot()));
  }

  /** Puts back a machine saved with snapshot(). */
  restore(snap) {
    const rawSnap = Snapshot.raw(snap);
    need(rawSnap !== undefined, 'restore() takes a value returned by snapshot()');
    need(rawSnap !== null, 'this snapshot was freed; take a new one with snapshot()');
    const raw = this.#live();
    call(this, () => raw.restore(rawSnap));
  }

  /** The commands of the language (for completion). */
  static commands() {
    need(wasm, 'call `await init()` first');
    return call(null, () => RawSandbox.commands());
  }

  /** Releases the machine's memory. The Sandbox cannot be used afterwards. */
  free() {
    if (this.#raw) {
      this.#raw.free();
      this.#raw = null;
    }
  }
}
