// mm-sandbox/import: the importers' public API (see import.js and README.md).
import type { ZoneInfo } from './index.js';

/** The files a snapshot may hold, besides `sys/vm/NAME`. */
export const SNAPSHOT_FILES: readonly ['meminfo', 'buddyinfo', 'pagetypeinfo', 'zoneinfo', 'slabinfo', 'sysctl'];

/** Fetches and compiles the importers' module ahead of the first import. */
export function loadImporter(input?: string | URL | Response | WebAssembly.Module): Promise<void>;

/** A line of the input that was not understood. */
export interface UnknownLine {
  /** 'log', or the snapshot file it is in. */
  file: string;
  /** 1-based. */
  line: number;
  text: string;
}

/** One row of `dump_tasks`, with its replayed `oom_badness`. */
export interface OomTask {
  line: number;
  pid: number;
  uid: number;
  name: string;
  totalVm: number;
  rss: number;
  /** [rss_anon, rss_file, rss_shmem]; null in the older layout. */
  rssSplit: [number, number, number] | null;
  pgtablesBytes: number;
  swapents: number;
  oomScoreAdj: number;
  /** `oom_badness`'s points; null for oom_score_adj -1000 (never killed). */
  points: number | null;
}

export interface OomImport {
  /** Set when the text holds no report; the other fields are then empty. */
  error: string | null;
  /** What `mmsim import oom` prints. */
  explain: string;
  /** A memory cgroup's OOM (constraint=CONSTRAINT_MEMCG): out of the model's scope. */
  memcg: boolean;
  totalpages: number;
  totalpagesSource: string;
  tasks: OomTask[];
  /** The index in `tasks` of the task the replayed select_bad_process picks. */
  victim: number | null;
  /** The victim the log's "Killed process" line names. */
  reported: { pid: number; name: string } | null;
  /** Whether the replay picks the reported victim (null if either is missing). */
  sameVictim: boolean | null;
  unknown: UnknownLine[];
  /** The equivalent machine as sandbox commands, one per line (`Sandbox.runScript`). */
  script: string | null;
  /** What the equivalent machine does not reproduce. */
  notes: string[];
  /** Why there is no equivalent machine. */
  noMachine: string | null;
}

export function importOom(log: string): Promise<OomImport>;

export interface ProcImport {
  /** Set when the snapshot cannot be read or its machine cannot be built. */
  error: string | null;
  /** What `mmsim import proc` prints. */
  explain: string;
  /** The `boot` line the machine started from. */
  boot: string | null;
  notes: string[];
  /** What the files hold that the sandbox does not model. */
  leftOut: string[];
  unknown: UnknownLine[];
  /** The imported machine's zones before the what-if commands, as `Sandbox.zones()`
   *  gives them: sizes, watermarks, free blocks per order and per migrate type. */
  zones: ZoneInfo[];
  /** Each what-if command, run on the imported machine in order. */
  results: { command: string; ok: boolean; output: string }[];
  /** The zones after the what-if commands (empty without any). */
  zonesAfter: ZoneInfo[];
}

export function importProc(files: Record<string, string>, script?: string): Promise<ProcImport>;
