import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** `bin/tokenledger` of this checkout, seen from the sources (it runs the built bundle: `npm run build` first). */
export const TOKENLEDGER_BIN = fileURLToPath(new URL('../../bin/tokenledger', import.meta.url));

/** A `tokenledger serve` process on 127.0.0.1, as a user starts it. */
export interface ServeProcess {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** What the process wrote to stdout and stderr so far. */
  output(): string;
  /** Ends the process (SIGTERM, then SIGKILL after 5 s) and waits for it. */
  stop(): Promise<void>;
}

/** A port nobody listens on at the moment of asking (another process may still take it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `<bin> serve --listen 127.0.0.1:<free port> <args>` with `env` and waits until it answers
 * HTTP (any status) or `readyMs` pass; a process that exits first fails with its output.
 */
export async function startServe(bin: string, args: readonly string[], env: NodeJS.ProcessEnv, readyMs = 20_000): Promise<ServeProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [bin, 'serve', '--listen', `127.0.0.1:${port}`, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const serve: ServeProcess = { url, output: () => output, stop: () => stopChild(child, exited) };
  const deadline = Date.now() + readyMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`tokenledger serve exited (${child.exitCode ?? child.signalCode}) before answering:\n${output}`);
    if (await answers(url)) return serve;
    if (Date.now() > deadline) {
      await serve.stop();
      throw new Error(`tokenledger serve did not answer on ${url} within ${readyMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** A long-running `tokenledger` command started as a user starts it, once it said where it listens. */
export interface ListeningProcess {
  /** The URL its stdout named (the first group of the pattern). */
  readonly url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves to the exit code. */
  readonly exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * Spawns `<bin> <args>` with `env` and waits until its stdout matches `listening` (whose first group
 * is the URL); a process that exits first fails with its stderr.
 */
export async function spawnListening(bin: string, args: readonly string[], env: NodeJS.ProcessEnv, listening: RegExp): Promise<ListeningProcess> {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
      const match = listening.exec(stdout);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`${args[0] ?? 'tokenledger'} exited: ${stderr}`)));
  });
  return { url, stdout: () => stdout, stderr: () => stderr, exited, kill: (signal) => child.kill(signal) };
}
