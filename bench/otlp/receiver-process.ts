import { spawn } from 'node:child_process';

/** A `tokenledger otlp` process on 127.0.0.1, as a user starts it. */
export interface ReceiverProcess {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** What it wrote to stderr (its stop line counts what it took). */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `<bin> otlp --listen 127.0.0.1:0 --db <db>` and waits for the address it prints. */
export function startReceiver(bin: string, db: string, env: NodeJS.ProcessEnv): Promise<ReceiverProcess> {
  const child = spawn(process.execPath, [bin, 'otlp', '--listen', '127.0.0.1:0', '--db', db], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`tokenledger otlp did not say where it listens within 20 s: ${stderr}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match === null) return;
      clearTimeout(timer);
      resolve({ url: match[1]!, stderr: () => stderr, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tokenledger otlp exited with ${code}: ${stderr}`));
    });
  });
}
