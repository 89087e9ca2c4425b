/**
 * Per-key requests and billed tokens per minute (a key's `rpm` and `tpm`), counted in memory by this
 * gateway process over a sliding minute of one-second slots.
 */
export class KeyRates {
  readonly #windows = new Map<string, { requests: Int32Array; tokens: Float64Array; second: number }>();

  /** Whether a request of `name` may start now (it is counted when it may). */
  admit(name: string, rpm: number | undefined, tpm: number | undefined, now: number): 'ok' | 'rpm' | 'tpm' {
    if (rpm === undefined && tpm === undefined) return 'ok';
    const w = this.#window(name, now);
    if (rpm !== undefined && sum(w.requests) >= rpm) return 'rpm';
    if (tpm !== undefined && sum(w.tokens) >= tpm) return 'tpm';
    (w.requests[w.second % 60] as number)++;
    return 'ok';
  }

  /** Billed tokens a finished request of `name` used. */
  used(name: string, tokens: number, now: number): void {
    const w = this.#windows.get(name);
    if (w === undefined) return;
    this.#roll(w, now);
    w.tokens[w.second % 60] = (w.tokens[w.second % 60] as number) + tokens;
  }

  #window(name: string, now: number): { requests: Int32Array; tokens: Float64Array; second: number } {
    let w = this.#windows.get(name);
    if (w === undefined) {
      w = { requests: new Int32Array(60), tokens: new Float64Array(60), second: Math.floor(now / 1000) };
      this.#windows.set(name, w);
    }
    this.#roll(w, now);
    return w;
  }

  /** Clears the slots of the seconds that passed since the window last moved. */
  #roll(w: { requests: Int32Array; tokens: Float64Array; second: number }, now: number): void {
    const second = Math.floor(now / 1000);
    for (let s = w.second + 1; s <= Math.min(second, w.second + 60); s++) {
      w.requests[s % 60] = 0;
      w.tokens[s % 60] = 0;
    }
    if (second > w.second) w.second = second;
  }
}

function sum(a: Int32Array | Float64Array): number {
  let total = 0;
  for (const v of a) total += v;
  return total;
}
