import type { RateLimitSnapshot, UsageEvent } from './usage-event.js';

/**
 * What a source (one agent's logs) owns: where its files are, how a record becomes a `UsageEvent`,
 * and how its dedup key is built. Walking, incremental reading and cursors are shared machinery.
 */
export interface Source {
  /** Stable id stored in the ledger, e.g. `claude-code`. */
  readonly id: string;
  /** Name shown to people. */
  readonly label: string;
  /** Other names accepted by `--agent`. */
  readonly aliases: readonly string[];
  /** Environment variable that overrides the default roots (comma-separated). */
  readonly rootsEnvVar: string;
  /** Roots used when the variable is unset, relative to the home folder. */
  defaultRoots(home: string): string[];
  /** Files of this source under one root. */
  listFiles(root: string): FileList;
  /** The folders under `root` that hold its files, for watchers (absent: the root itself). */
  watchFolders?(root: string): string[];
  /** The file at `path` if `listFiles(root)` would list it (checked by name, without walking). */
  fileAt(root: string, path: string): SourceFile | undefined;
  /** Reads a file that was never seen, or resumes one from a saved parser state. */
  openParser(file: SourceFile, state: unknown): FileParser;
}

export interface SourceFile {
  path: string;
  root: string;
  /** `jsonl` files are read incrementally line by line; `json` files are parsed whole. */
  format: 'jsonl' | 'json';
}

export interface FileList {
  files: SourceFile[];
  /** Folders that exist but could not be read. */
  unreadable: { path: string; reason: string }[];
}

/** Receives what a parser found in one line or document. */
export interface RecordSink {
  usage(event: UsageEvent): void;
  rateLimits(snapshot: RateLimitSnapshot): void;
  /** The current line (or document) cannot be used; the reason is shown by --verbose. */
  drop(reason: string): void;
}

export interface FileParser {
  /**
   * For `jsonl` files: byte strings of which at least one occurs in every line that can matter.
   * Lines containing none are only checked to be well-formed JSON objects, never parsed.
   */
  readonly markers: readonly string[];
  /**
   * Parses one complete line of a `jsonl` file: bytes `start`..`end` of `bytes` (without the
   * newline). The buffer is reused after the call; keep strings, never the buffer.
   */
  line(bytes: Buffer, start: number, end: number, sink: RecordSink): void;
  /**
   * Parses a whole `json` file. Returns false when the document itself cannot be parsed (it may
   * be half-written): nothing is recorded and the file is read again once it changes.
   */
  document(text: string, sink: RecordSink): boolean;
  /** State to resume from after the last consumed line (model in effect, previous totals…). */
  state(): unknown;
}
