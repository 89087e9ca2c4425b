import { describeError } from '../core/errors.js';
import type { OtlpSendReport, OtlpUsageExport } from '../sinks/otel/otlp-usage-export.js';

export interface OtlpIntervalOptions {
  exporter: Pick<OtlpUsageExport, 'send'>;
  everyMs: number;
  /** Where messages go: a failure once per reason, the recovery once. */
  say(line: string): void;
  /** How the destination is shown (never its URL as given). */
  shown: string;
  verbose: boolean;
}

/**
 * `watch --otlp`: sends what the ledger committed since the last delivery every `everyMs` (as the
 * OpenTelemetry SDK's periodic reader exports), and once more at `stop` so that nothing recorded
 * before the watch ended waits for the next run. A failed send moves nothing: the next one carries it.
 */
export class OtlpInterval {
  readonly #o: OtlpIntervalOptions;
  readonly #timer: NodeJS.Timeout;
  #problem: string | undefined;

  constructor(options: OtlpIntervalOptions) {
    this.#o = options;
    this.#timer = setInterval(() => void this.send(), options.everyMs);
  }

  /** One send now (after one in flight); true when it delivered or had nothing to send. */
  async send(): Promise<boolean> {
    let report: OtlpSendReport;
    try {
      report = await this.#o.exporter.send();
    } catch (error) {
      this.#trouble(describeError(error));
      return false;
    }
    const result = report.result;
    if (result !== undefined && !result.ok) {
      this.#trouble(result.error ?? `HTTP ${result.status}`);
      return false;
    }
    if (this.#problem !== undefined) this.#o.say(`tokenledger: otlp: delivering to ${this.#o.shown} again; sent what was recorded meanwhile`);
    this.#problem = undefined;
    if (this.#o.verbose && result !== undefined) this.#o.say(`otlp: sent ${report.events} requests as ${report.points} points (${report.bytes} bytes) to ${this.#o.shown}`);
    if (result?.rejected !== undefined) this.#o.say(`tokenledger: otlp: the receiver rejected ${result.rejected} points${result.rejectedReason === undefined ? '' : `: ${result.rejectedReason}`}`);
    return true;
  }

  /** No more timed sends; a last one for what was recorded since. */
  async stop(): Promise<boolean> {
    clearInterval(this.#timer);
    return this.send();
  }

  #trouble(reason: string): void {
    if (reason !== this.#problem) this.#o.say(`tokenledger: otlp: cannot deliver to ${this.#o.shown} yet (${reason}); nothing is lost, the next send carries it`);
    this.#problem = reason;
  }
}
