import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Measured {
  wallMs: number;
  /** Peak resident memory in MB, when /usr/bin/time is there to tell. */
  peakMb: number | undefined;
  code: number | null;
  stdout: string;
  stderr: string;
}

const TIME = '/usr/bin/time';

/** Runs a command to completion and measures its wall time (and peak memory via /usr/bin/time). */
export function measure(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Measured> {
  const timed = existsSync(TIME);
  const [cmd, argv] = timed ? [TIME, ['-f', '__peak_kb=%M', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      const match = /__peak_kb=(\d+)/.exec(stderr);
      resolve({ wallMs, peakMb: match === null ? undefined : Number(match[1]) / 1024, code, stdout, stderr: stderr.replace(/__peak_kb=\d+\n?/, '') });
    });
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** `m`, when its command exited 0; else an error naming `what` with the command's stderr. */
export function ok(m: Measured, what: string): Measured {
  if (m.code !== 0) throw new Error(`${what} exited with ${m.code}: ${m.stderr}`);
  return m;
}
