// mm-sandbox public API, version 0.1.0.

/** Loads the WebAssembly module; await it once before creating sandboxes. */
export default function init(input?: string | URL | Request | Response | WebAssembly.Module): Promise<string>;

export const VERSION: string;

/** Meaning of each byte of Sandbox.pageStates(). */
export const PAGE_STATES: readonly ['free', 'reserved', 'kernel', 'slab', 'page table', 'user', 'per-cpu list', 'kernel stack', 'large kmalloc'];

export interface SandboxOptions {
  /** RAM, e.g. '64M', '1G' (4M to 64G; default 1G). */
  mem?: string;
  /** CPUs (default 2): changes SLUB slab geometry as in the kernel. */
  cpus?: number;
  /** Swap space, e.g. '1G' (default 0). */
  swap?: string;
  /** Per-CPU page lists (default false: frees merge at once). */
  pcp?: boolean;
  /** 'typical' adds a realistic set of busy kernel caches. */
  caches?: 'minimal' | 'typical';
  /** 5-level paging. */
  la57?: boolean;
}

/** One micro-step: which kernel function, a sentence, and typed fields. Addresses are '0x...' strings. */
export interface SandboxEvent {
  kind: string;
  function: string;
  text: string;
  [field: string]: unknown;
}

export interface RunResult {
  command: string;
  ok: boolean;
  output: string;
  events: SandboxEvent[];
}

export interface ZoneInfo {
  name: 'DMA' | 'DMA32' | 'Normal' | 'Movable';
  startPfn: number;
  spanned: number;
  present: number;
  managed: number;
  freePages: number;
  min: number;
  low: number;
  high: number;
  /** Free blocks per order 0..10, as /proc/buddyinfo. */
  nrFree: number[];
  freeByType: { name: string; counts: number[] }[];
}

export interface CacheInfo {
  name: string;
  objsize: number;
  size: number;
  objPerSlab: number;
  pagesPerSlab: number;
  activeObjs: number;
  numObjs: number;
  slabs: number;
}

export interface ProcessInfo {
  pid: number;
  comm: string;
  ppid: number;
  uid: number;
  oomScoreAdj: number;
  oomScore: number;
  rssPages: number;
  totalVmPages: number;
  vmas: { start: string; end: string; perms: string; name: string }[];
}

/** A saved machine; free() it when done. */
export interface Snapshot {
  free(): void;
}

export class Sandbox {
  constructor(options?: SandboxOptions);
  run(line: string): RunResult;
  runScript(text: string, options?: { stopOnError?: boolean }): RunResult[];
  read(path: string): string;
  zones(): ZoneInfo[];
  caches(): CacheInfo[];
  processes(): ProcessInfo[];
  pageStates(): Uint8Array;
  snapshot(): Snapshot;
  restore(snapshot: Snapshot): void;
  static commands(): string[];
  free(): void;
}
