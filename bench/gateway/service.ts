import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';

/** A server the bench runs as a child process (our gateway, Portkey) until it stops it. */
export interface Service {
  readonly name: string;
  readonly pid: number;
  /** The last of what it printed (for errors; it never prints secrets it was not given on stdout). */
  output(): string;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export interface ServiceStart {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Ready when its output matches this; or, with a port, once that port accepts connections. */
  ready: RegExp | { port: number };
  /** How long it may take to get ready. */
  timeoutMs: number;
}

const KEEP_CHARS = 4_000;

export function startService(start: ServiceStart): Promise<Service> {
  const child = spawn(start.command, start.args, { env: start.env, cwd: start.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  const service: Service = {
    name: start.name,
    pid: child.pid ?? -1,
    output: () => output,
    async stop(graceMs = 5_000) {
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === undefined) resolve(service);
      else void service.stop(0).then(() => reject(error));
    };
    const timer = setTimeout(() => settle(new Error(`${start.name} was not ready after ${start.timeoutMs} ms: ${output.slice(-500)}`)), start.timeoutMs);
    const take = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-KEEP_CHARS);
      if (start.ready instanceof RegExp && start.ready.test(output)) settle(undefined);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('error', (error) => settle(error));
    void exit.then(() => settle(new Error(`${start.name} exited with ${exited}: ${output.slice(-500)}`)));
    if (!(start.ready instanceof RegExp)) {
      const port = start.ready.port;
      const attempt = (): void => {
        if (settled) return;
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          settle(undefined);
        });
        socket.once('error', () => setTimeout(attempt, 25));
      };
      attempt();
    }
  });
}

/** A port nothing listens on right now (for servers that take no port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process now (`VmRSS`) and at its peak so far (`VmHWM`), in MB. */
export function residentMb(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}
