import type { IntakeResult } from '../../intake/otel/otlp-intake.js';

/** What a receiver took since it started, printed when it stops. */
export class OtlpCounters {
  requests = 0;
  /** Records (and points) that became usage events, and how many of them were new to the ledger. */
  usage = 0;
  inserted = 0;
  ignored = 0;
  rejected = 0;
  unknown = 0;
  /** Requests answered with an error (4xx, 5xx). */
  refused = 0;

  add(result: IntakeResult): void {
    this.requests += 1;
    this.usage += result.usage;
    this.inserted += result.inserted;
    this.ignored += result.ignored;
    this.rejected += result.rejected;
    this.unknown += result.unknown;
  }

  /** One line: `3 requests: 5 usage records (4 new), 2 ignored, 0 rejected, 1 unknown; 0 refused`. */
  summary(): string {
    return (
      `${this.requests} request${this.requests === 1 ? '' : 's'} taken: ${this.usage} usage record${this.usage === 1 ? '' : 's'} (${this.inserted} new to the ledger), ` +
      `${this.ignored} ignored, ${this.rejected} rejected, ${this.unknown} of unknown agents; ${this.refused} refused`
    );
  }
}
