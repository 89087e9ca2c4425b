import uPlot from 'uplot';
import { formatMoney } from '../format.js';
import { type StackedSpend, stackSeries } from '../series.js';
import { h } from './dom.js';

/** Series colours, readable on the light and the dark theme. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** A chart that follows its container's width; `destroy` when its view is left. */
export interface Chart {
  element: HTMLElement;
  destroy(): void;
}

const DAY_S = 86_400;

/** Spend per day as stacked bars, one colour per series; the legend shows each series' own dollars. */
export function stackedBars(spend: StackedSpend, testid: string): Chart {
  const element = h('div', { class: 'chart', testid });
  const xs = spend.days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const stacked = stackSeries(spend.series);
  // Drawn top-down: each taller stack first, so the lower series paint over it.
  const order = spend.series.map((_, i) => i).reverse();
  const bars = uPlot.paths.bars!({ size: [0.8, 48], gap: 1 });
  const options: uPlot.Options = {
    width: 600,
    height: 260,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
    scales: { x: { time: true, range: (_u, min, max) => [min - DAY_S / 2, max + DAY_S / 2] } },
    axes: [
      { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' } },
      { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' }, values: (_u, ticks) => ticks.map((t) => formatMoney(t)), size: 70 },
    ],
    series: [
      { value: (_u, ts) => (ts === null ? '' : new Date(ts * 1000).toISOString().slice(0, 10)) },
      ...order.map((i) => ({
        label: spend.series[i]!.label,
        fill: PALETTE[i % PALETTE.length],
        stroke: PALETTE[i % PALETTE.length],
        width: 0,
        paths: bars,
        points: { show: false },
        value: (_u: uPlot, _v: number | null, _s: number, idx: number | null) => (idx === null ? '' : formatMoney(spend.series[i]!.usd[idx] ?? 0)),
      })),
    ],
    legend: { live: true },
    cursor: { points: { show: false } },
  };
  const data: uPlot.AlignedData = [xs, ...order.map((i) => stacked[i]!)];
  return follow(element, options, data);
}

/** Cost per message over a session's time, as points, its axis in `zone`. */
export function timeline(moments: readonly { at: string; usd: number }[], zone: string, testid: string): Chart {
  const element = h('div', { class: 'chart', testid });
  const sorted = [...moments].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const options: uPlot.Options = {
    width: 600,
    height: 200,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), zone),
    scales: { x: { time: true } },
    axes: [{ stroke: 'currentColor' }, { stroke: 'currentColor', values: (_u, ticks) => ticks.map((t) => formatMoney(t)), size: 70 }],
    series: [{}, { label: 'message cost', stroke: PALETTE[0], width: 0, points: { show: true, size: 6, fill: PALETTE[0] }, value: (_u, v) => formatMoney(v) }],
  };
  const data: uPlot.AlignedData = [sorted.map((m) => Date.parse(m.at) / 1000), sorted.map((m) => m.usd)];
  return follow(element, options, data);
}

function follow(element: HTMLElement, options: uPlot.Options, data: uPlot.AlignedData): Chart {
  let plot: uPlot | undefined;
  const size = () => Math.max(260, Math.floor(element.clientWidth || element.parentElement?.clientWidth || 600));
  // Drawn once the element is in the page, so it knows its width.
  const frame = requestAnimationFrame(() => {
    plot = new uPlot({ ...options, width: size() }, data, element);
    element.dataset.drawn = 'true';
  });
  const observer = new ResizeObserver(() => plot?.setSize({ width: size(), height: options.height }));
  observer.observe(element);
  return {
    element,
    destroy() {
      cancelAnimationFrame(frame);
      observer.disconnect();
      plot?.destroy();
    },
  };
}
