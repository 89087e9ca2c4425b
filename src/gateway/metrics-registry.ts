import { escapeLabelValue, formatValue } from '../sinks/prometheus/prometheus-text.js';

type Labels = Readonly<Record<string, string>>;

interface Series {
  labels: Labels;
  value: number;
}

/** A counter or gauge family: one value per label set. */
export class ValueFamily {
  readonly #series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
  ) {}

  add(labels: Labels, by = 1): void {
    const key = labelKey(labels);
    const s = this.#series.get(key);
    if (s === undefined) this.#series.set(key, { labels, value: by });
    else s.value += by;
  }

  set(labels: Labels, value: number): void {
    this.#series.set(labelKey(labels), { labels, value });
  }

  get(labels: Labels): number {
    return this.#series.get(labelKey(labels))?.value ?? 0;
  }

  clear(): void {
    this.#series.clear();
  }

  text(): string {
    let out = header(this.name, this.help, this.type);
    for (const s of this.#series.values()) out += `${this.name}${labelText(s.labels)} ${formatValue(s.value)}\n`;
    return out;
  }
}

/** A histogram family of observations in seconds. */
export class HistogramFamily {
  readonly #series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let s = this.#series.get(key);
    if (s === undefined) this.#series.set(key, (s = { labels, counts: this.bounds.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < this.bounds.length; i++) if (value <= (this.bounds[i] as number)) (s.counts[i] as number)++;
    s.sum += value;
    s.count++;
  }

  text(): string {
    let out = header(this.name, this.help, 'histogram');
    for (const s of this.#series.values()) {
      this.bounds.forEach((bound, i) => {
        out += `${this.name}_bucket${labelText({ ...s.labels, le: formatValue(bound) })} ${s.counts[i]}\n`;
      });
      out += `${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}\n`;
      out += `${this.name}_sum${labelText(s.labels)} ${formatValue(s.sum)}\n`;
      out += `${this.name}_count${labelText(s.labels)} ${s.count}\n`;
    }
    return out;
  }
}

function header(name: string, help: string, type: string): string {
  return `# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${name} ${type}\n`;
}

function labelKey(labels: Labels): string {
  let key = '';
  for (const name in labels) key += `${name}\u0000${labels[name]}\u0001`;
  return key;
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}
