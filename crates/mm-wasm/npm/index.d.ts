// mm-sandbox public API, version 0.2.0.

/** Loads the WebAssembly module; await it once before creating sandboxes. */
export default function init(input?: string | URL | Request | Response | WebAssembly.Module): Promise<string>;

export const VERSION: string;

/** Meaning of each byte of Sandbox.pageStates(). */
export const PAGE_STATES: readonly ['free', 'reserved', 'kernel', 'slab', 'page table', 'user', 'per-cpu list', 'kernel stack', 'large kmalloc', 'page cache'];

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
  /** Steps a command keeps whole before the rest are counted into one 'Summary' step
   * (default 100000): the same budget the app and its embedding messages use. */
  eventBudget?: number;
}

/** Every kind of micro-step, subsystem by subsystem (mm_core::event::kinds()). */
export type EventKind =
  'AllocStart' |
  'WatermarkCheck' |
  'NoFragmentRetry' |
  'SlowPath' |
  'ListLook' |
  'TakeBlock' |
  'Split' |
  'ClaimBlock' |
  'Highatomic' |
  'MoveFree' |
  'StealBlock' |
  'WatermarkBoost' |
  'KswapdBoostReset' |
  'Allocated' |
  'AllocFailed' |
  'FreeStart' |
  'BuddyBusy' |
  'Merge' |
  'AddFree' |
  'PcpTake' |
  'PcpRefill' |
  'PcpPut' |
  'PcpDrain' |
  'Watermarks' |
  'KmallocClass' |
  'KmallocLarge' |
  'NewSlab' |
  'SlabObjectAlloc' |
  'SlabObjectFree' |
  'SlabMove' |
  'SlabDiscard' |
  'TaskCreated' |
  'TaskExit' |
  'VmaCreated' |
  'VmaRemoved' |
  'CommitCharge' |
  'CommitUncharge' |
  'Fault' |
  'PageTableAlloc' |
  'PageTableFree' |
  'PteSet' |
  'CowCopy' |
  'CowReuse' |
  'WalkStep' |
  'OomScore' |
  'OomKill' |
  'CacheAdd' |
  'CacheDelete' |
  'ReadaheadSync' |
  'ReadaheadAsync' |
  'LruAdd' |
  'Activate' |
  'Dirtied' |
  'WritebackStart' |
  'WritebackEnd' |
  'WakeupKswapd' |
  'KswapdWake' |
  'BalancePass' |
  'KswapdNap' |
  'KswapdSleep' |
  'ScanCount' |
  'FolioReclaim' |
  'ShrinkInactive' |
  'ShrinkActive' |
  'DirectReclaimBegin' |
  'DirectReclaimEnd' |
  'ReclaimRetry' |
  'MayOom' |
  'Panic' |
  'SwapAlloc' |
  'Unmap' |
  'SwapWriteout' |
  'SwapIn' |
  'SwapReadahead' |
  'FilemapFault' |
  'MmapReadAround' |
  'DropCaches' |
  'TryToCompact' |
  'Suitable' |
  'Defer' |
  'Begin' |
  'IsolateMigrate' |
  'IsolateFree' |
  'FreeIsolated' |
  'Migrate' |
  'MigrateFail' |
  'MigratePages' |
  'Capture' |
  'Finished' |
  'End' |
  'WakeupKcompactd' |
  'KcompactdWake' |
  'KcompactdSleep' |
  'Proactive' |
  'Sysctl' |
  'Summary';

/** One micro-step: its kind and typed fields, the kernel function it models, the kernel
 * tracepoint that fires there (or null), and the step in words. Addresses are '0x...' strings. */
export interface SandboxEvent {
  kind: EventKind;
  function: string;
  tracepoint: string | null;
  /** What happened, without the function's name. */
  sentence: string;
  /** `function: sentence`, as the narration shows it. */
  text: string;
  [field: string]: unknown;
}

export interface RunResult {
  command: string;
  ok: boolean;
  /** How a failed command failed: 'rejected' (refused input, nothing changed) or
   * 'kernel' (the kernel tried and failed, and may have left what a real kernel leaves). */
  failure: 'rejected' | 'kernel' | null;
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

/** A saved machine; free() it when done (restoring a freed one throws). */
export class Snapshot {
  private constructor();
  free(): void;
}

export class Sandbox {
  constructor(options?: SandboxOptions);
  run(line: string): RunResult;
  /**
   * One result per command line. Throws past 10,000 lines or 256 KiB. Stops when the
   * work passes 40,000,000 steps (or the results 1,000,000 steps): the first line not
   * run gets a refused result that says so.
   */
  runScript(text: string, options?: { stopOnError?: boolean }): RunResult[];
  read(path: string): string;
  zones(): ZoneInfo[];
  caches(): CacheInfo[];
  processes(): ProcessInfo[];
  /** One byte per page frame (see PAGE_STATES), a copy of your own. */
  pageStates(): Uint8Array;
  snapshot(): Snapshot;
  restore(snapshot: Snapshot): void;
  static commands(): string[];
  free(): void;
}
