import type { FilterFlag } from '../filters.js';
import { type Child, h } from './dom.js';

/** A headline figure: a label above a large value, the value's element carrying `testid`. */
export function stat(label: string, value: Child, testid: string, note?: Child): HTMLElement {
  return h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value', testid }, value), note ? h('div', { class: 'stat-note' }, note) : null);
}

export function section(title: string, testid: string | null, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card', testid }, h('h2', null, title), ...children);
}

/** A model's name, marked when it has no price (its cost is counted as zero). */
export function modelName(model: string, unpriced: boolean): HTMLElement {
  return h(
    'span',
    { class: unpriced ? 'model unpriced' : 'model', title: unpriced ? 'no price known: counted as $0' : null },
    model,
    unpriced ? h('span', { class: 'badge warn', testid: 'unpriced' }, 'unpriced') : null,
  );
}

/** A budget level (OK, INFO, WARNING, CRITICAL, HARD_STOP) as a coloured badge. */
export function levelBadge(level: string): HTMLElement {
  return h('span', { class: `badge level-${level.toLowerCase().replace(/[^a-z_]/g, '')}`, testid: 'budget-level' }, level);
}

/** A bar filled to `pct` (0-100+), coloured by `level`. */
export function meter(pct: number, level: string): HTMLElement {
  const fill = h('div', { class: `meter-fill level-${level.toLowerCase().replace(/[^a-z_]/g, '')}` });
  fill.style.width = `${Math.max(0, Math.min(100, pct))}%`;
  return h('div', { class: 'meter', role: 'meter', 'aria-valuenow': Math.round(pct), 'aria-valuemin': 0, 'aria-valuemax': 100 }, fill);
}

export function loading(): HTMLElement {
  return h('p', { class: 'loading', testid: 'loading' }, 'Loading…');
}

export function errorBox(error: unknown): HTMLElement {
  const message = error instanceof Error ? error.message : String(error);
  return h('p', { class: 'error', role: 'alert', testid: 'error' }, message);
}

/** Says which filters a block of figures does not apply (its report does not take them). */
export function ignoredNote(flags: readonly FilterFlag[]): HTMLElement | null {
  return flags.length === 0 ? null : h('p', { class: 'note' }, `Not filtered by ${flags.join(', ')} (this report does not take ${flags.length === 1 ? 'it' : 'them'}).`);
}

/** An internal link that the router follows without reloading. */
export function link(path: string, text: Child, attrs: Record<string, string> = {}): HTMLAnchorElement {
  return h('a', { href: path, 'data-route': '', ...attrs }, text);
}
