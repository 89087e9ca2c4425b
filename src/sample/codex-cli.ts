import { join } from 'node:path';
import { FileWriter } from './file-writer.js';
import type { Random } from './random.js';
import type { TextPool } from './text.js';

export interface CodexSessionPlan {
  root: string;
  project: string;
  startAt: number;
  targetBytes: number;
  /** No turn starts after this instant (epoch ms). */
  until: number;
}

const MODELS = [
  ['gpt-5-codex', 5],
  ['gpt-5', 2],
  ['gpt-5.1-codex', 2],
] as const;

/** Writes one Codex CLI rollout with cumulative token_count events; returns bytes written. */
export function writeCodexSession(random: Random, text: TextPool, plan: CodexSessionPlan): number {
  const id = random.uuid();
  const start = new Date(plan.startAt);
  const stamp = start.toISOString().slice(0, 19).replaceAll(':', '-');
  const day = start.toISOString().slice(0, 10).replaceAll('-', '/');
  const out = new FileWriter(join(plan.root, 'sessions', day, `rollout-${stamp}-${id}.jsonl`));
  let now = plan.startAt;
  const at = () => new Date(now).toISOString();
  out.line({ timestamp: at(), type: 'session_meta', payload: { id, timestamp: at(), cwd: plan.project, originator: 'codex_cli_rs', cli_version: '0.46.0', instructions: text.take(random, 2000) } });
  const model = random.weighted(MODELS);
  const total = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 };
  let context = random.int(6_000, 12_000);
  let primary = random.int(1, 30);
  while (out.bytes < plan.targetBytes && now < plan.until) {
    now += random.int(30, 900) * 1000;
    out.line({ timestamp: at(), type: 'turn_context', payload: { cwd: plan.project, approval_policy: 'on-request', model, effort: 'medium', summary: 'auto' } });
    out.line({ timestamp: at(), type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: text.take(random, random.int(40, 800)) }] } });
    const calls = random.int(1, 6);
    for (let call = 0; call < calls; call++) {
      now += random.int(3, 60) * 1000;
      const input = context + random.int(100, 3000);
      const cached = Math.floor(context * 0.9);
      const output = random.skewed(50, 4000);
      const reasoning = Math.floor(output * random.next() * 0.7);
      const last = { input_tokens: input, cached_input_tokens: cached, output_tokens: output, reasoning_output_tokens: reasoning, total_tokens: input + output };
      for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += last[key];
      context = input + output;
      out.line({
        timestamp: at(),
        type: 'response_item',
        payload: { type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', text.take(random, 80)] }), call_id: `call_${random.id(24)}` },
      });
      out.line({ timestamp: at(), type: 'response_item', payload: { type: 'function_call_output', call_id: `call_${random.id(24)}`, output: text.take(random, random.skewed(200, 30_000)) } });
      primary = Math.min(100, primary + random.int(0, 2));
      const rateLimits = {
        primary: { used_percent: primary, window_minutes: 300, resets_at: Math.floor(now / 1000) + 3600 },
        secondary: { used_percent: Math.floor(primary / 3), window_minutes: 10080, resets_at: Math.floor(now / 1000) + 86400 },
      };
      const event = {
        timestamp: at(),
        type: 'event_msg',
        payload: { type: 'token_count', info: { total_token_usage: { ...total }, last_token_usage: last, model_context_window: 272000 }, rate_limits: rateLimits },
      };
      out.line(event);
      if (random.chance(0.15)) out.line(event); // Codex sometimes re-emits the same count
    }
    if (context > 200_000) context = random.int(10_000, 20_000);
  }
  out.close();
  return out.bytes;
}
