/**
 * What Claude Code sends its status line command on stdin, as far as tokenledger reads it. Every
 * field is optional: a status line shows what it can, and a payload it cannot read at all gives the
 * fallback line, never an error.
 */
export interface StatusPayload {
  sessionId?: string;
  transcriptPath?: string;
  /** The model's display name (else its id). */
  model?: string;
  /** Claude Code's own estimate of the session's cost (USD). */
  costUsd?: number;
  /** Context in use: a percentage, and the tokens when Claude Code gives them. */
  context?: { usedPct: number; usedTokens?: number; limitTokens?: number };
  /** The plan's official limits (subscribers only). */
  limits: StatusLimit[];
}

export interface StatusLimit {
  /** `5h`, `7d`. */
  label: string;
  usedPct: number;
  /** UTC epoch ms. */
  resetsAt?: number;
}

const LIMIT_WINDOWS: [string, string][] = [
  ['five_hour', '5h'],
  ['seven_day', '7d'],
];

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** A finite number in [0, 1e12] (a count or amount from outside, bounded where it enters). */
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1e12 ? v : undefined);

/** Epoch seconds, epoch ms or an ISO string. */
function instant(v: unknown): number | undefined {
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const n = num(v);
  return n === undefined ? undefined : n < 1e11 ? n * 1000 : n;
}

function context(v: unknown): StatusPayload['context'] {
  const c = obj(v);
  if (c === undefined) return undefined;
  const limitTokens = num(c.context_window_size);
  const current = obj(c.current_usage);
  const usedTokens = current === undefined ? num(c.total_input_tokens) : ['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'].reduce((sum, k) => sum + (num(current[k]) ?? 0), 0);
  const usedPct = num(c.used_percentage) ?? (usedTokens !== undefined && limitTokens !== undefined && limitTokens > 0 ? (usedTokens / limitTokens) * 100 : undefined);
  if (usedPct === undefined) return undefined;
  return { usedPct, ...(usedTokens === undefined ? {} : { usedTokens }), ...(limitTokens === undefined ? {} : { limitTokens }) };
}

/** Reads the payload; undefined when it is no JSON object at all. */
export function parseStatusPayload(input: string): StatusPayload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(input);
  } catch {
    return undefined;
  }
  const o = obj(value);
  if (o === undefined) return undefined;
  const model = obj(o.model);
  const limits = obj(o.rate_limits);
  const payload: StatusPayload = {
    limits: LIMIT_WINDOWS.flatMap(([key, label]) => {
      const w = obj(limits?.[key]);
      const usedPct = num(w?.used_percentage);
      if (w === undefined || usedPct === undefined) return [];
      const resetsAt = instant(w.resets_at);
      return [{ label, usedPct, ...(resetsAt === undefined ? {} : { resetsAt }) }];
    }),
  };
  const sessionId = text(o.session_id);
  const transcriptPath = text(o.transcript_path);
  const name = text(model?.display_name) ?? text(model?.id);
  const costUsd = num(obj(o.cost)?.total_cost_usd);
  const ctx = context(o.context_window);
  if (sessionId !== undefined) payload.sessionId = sessionId;
  if (transcriptPath !== undefined) payload.transcriptPath = transcriptPath;
  if (name !== undefined) payload.model = name;
  if (costUsd !== undefined) payload.costUsd = costUsd;
  if (ctx !== undefined) payload.context = ctx;
  return payload;
}
