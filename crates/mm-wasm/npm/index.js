// mm-sandbox: a kernel-exact Linux memory-management simulator for your pages.
// This file is the package's public API (see index.d.ts and README.md); the
// wasm-bindgen module it wraps (mm_wasm.js) is internal and may change.
import initWasm, { Sandbox as RawSandbox, Snapshot as RawSnapshot } from './mm_wasm.js';

/** The package's version. */
export const VERSION = '0.1.0';

/** What each byte of `pageStates()` means. */
export const PAGE_STATES = Object.freeze(['free', 'reserved', 'kernel', 'slab', 'page table', 'user', 'per-cpu list', 'kernel stack', 'large kmalloc']);

let wasm = null;

/**
 * Loads the WebAssembly module. Call once, and await it, before `new Sandbox()`.
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

/** A simulated machine. */
export class Sandbox {
  #raw;

  /** Boots a machine. Options: { mem: '64M', cpus: 2, swap: '0', pcp: false, caches: 'minimal'|'typical', la57: false }. */
  constructor(options = {}) {
    need(wasm, 'call `await init()` before `new Sandbox()`');
    need(options !== null && typeof options === 'object' && !Array.isArray(options), 'options must be an object such as { mem: "64M" }');
    this.#raw = new RawSandbox(options);
  }

  #live() {
    need(this.#raw, 'this Sandbox was freed');
    return this.#raw;
  }

  /** Runs one command line; returns { command, ok, output, events }. A command the kernel refuses gives ok: false, not an exception. */
  run(line) {
    need(typeof line === 'string', 'run() takes a string, e.g. sb.run("alloc_pages 2")');
    return this.#live().run(line);
  }

  /** Runs a script (one command per line, # comments); returns one result per command. */
  runScript(text, { stopOnError = false } = {}) {
    need(typeof text === 'string', 'runScript() takes a string');
    return this.#live().runScript(text, Boolean(stopOnError));
  }

  /** Reads a /proc file, e.g. '/proc/buddyinfo'. Throws if there is no such file. */
  read(path) {
    need(typeof path === 'string', 'read() takes a path string, e.g. "/proc/meminfo"');
    return this.#live().read(path);
  }

  /** Populated zones with their free areas and watermarks. */
  zones() {
    return this.#live().zones();
  }

  /** Slab caches, newest first, as /proc/slabinfo lists them. */
  caches() {
    return this.#live().caches();
  }

  /** Processes with their VMAs and OOM scores. */
  processes() {
    return this.#live().processes();
  }

  /**
   * One byte per page frame (see PAGE_STATES), as a view into wasm memory: no copy.
   * The view is valid until the next call that changes the machine; take a new one then.
   */
  pageStates() {
    const raw = this.#live();
    return new Uint8Array(wasm.memory.buffer, raw.pageStatesPtr(), raw.pageCount());
  }

  /** Saves the machine. Free the snapshot with snap.free() when done. */
  snapshot() {
    return this.#live().snapshot();
  }

  /** Puts back a machine saved with snapshot(). */
  restore(snap) {
    need(snap instanceof RawSnapshot, 'restore() takes a value returned by snapshot()');
    this.#live().restore(snap);
  }

  /** The commands of the language (for completion). */
  static commands() {
    need(wasm, 'call `await init()` first');
    return RawSandbox.commands();
  }

  /** Releases the machine's memory. The Sandbox cannot be used afterwards. */
  free() {
    if (this.#raw) {
      this.#raw.free();
      this.#raw = null;
    }
  }
}
