/**
 * The little of `parse-prometheus-text-format` (a dev dependency, used only by tests to read our
 * output back) that the tests touch; the package ships no types.
 */
declare module 'parse-prometheus-text-format' {
  /** One series; numbers stay strings as written. */
  export interface ParsedSample {
    value: string;
    labels?: Record<string, string>;
    timestamp_ms?: string;
  }

  export interface ParsedFamily {
    name: string;
    help: string;
    /** Upper case: `GAUGE`, `COUNTER`, `UNTYPED`… */
    type: string;
    metrics: ParsedSample[];
  }

  export default function parsePrometheusTextFormat(text: string): ParsedFamily[];
}
