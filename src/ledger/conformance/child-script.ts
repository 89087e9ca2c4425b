import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { packageRoot } from '../../core/package-root.js';

/**
 * A file of this folder built into a script node runs as a process of its own (a writer to kill,
 * writers at once), in `dist/` so that it finds the packages left out of the bundle; `remove`
 * deletes it.
 */
export async function childScript(name: string): Promise<{ path: string; remove(): void }> {
  mkdirSync(join(packageRoot(), 'dist'), { recursive: true });
  const path = join(packageRoot(), 'dist', `conformance-${name}-${process.pid}.mjs`);
  await build({
    entryPoints: [join(packageRoot(), 'src', 'ledger', 'conformance', `${name}.ts`)],
    outfile: path,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'pg', 'pg-copy-streams', '@pydantic/genai-prices'],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return { path, remove: () => rmSync(path, { force: true }) };
}

/** A writer process started from a child script: what it said so far, and its steps. */
export interface ChildWriter {
  /** Its stdout lines so far. */
  readonly lines: string[];
  /** Resolves once it has said `ready` (its ledger is open). */
  readonly ready: Promise<void>;
  /** Resolves once it has said `done`; fails if it ended without saying so. */
  readonly done: Promise<void>;
  /** Tells it to start (a line on its stdin). */
  go(): void;
}

/** Starts `script` with `args`; see `ChildWriter`. */
export function startChild(script: string, args: readonly string[]): ChildWriter {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const waiting: { line: string; resolve(): void }[] = [];
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const w of waiting) if (lines.includes(w.line)) w.resolve();
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const said = (line: string) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ line, resolve });
      void exited.then(() => (lines.includes(line) ? resolve() : reject(new Error(`${script} ${args.slice(1).join(' ')} ended without saying ${line}: ${stderr}`))));
    });
  return { lines, ready: said('ready'), done: said('done'), go: () => child.stdin.end('go\n') };
}

/** Starts one writer per argument list, lets them all open their ledgers, then tells them all to go, and waits for them. */
export async function runAtOnce(script: string, argLists: readonly (readonly string[])[]): Promise<ChildWriter[]> {
  const writers = argLists.map((args) => startChild(script, args));
  await Promise.all(writers.map((w) => w.ready));
  for (const w of writers) w.go();
  await Promise.all(writers.map((w) => w.done));
  return writers;
}
