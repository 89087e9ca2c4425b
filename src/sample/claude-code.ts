import { join } from 'node:path';
import { FileWriter } from './file-writer.js';
import type { Random } from './random.js';
import type { TextPool } from './text.js';

export interface ClaudeSessionPlan {
  root: string;
  project: string;
  startAt: number;
  /** Stop adding turns once the transcript reaches this size… */
  targetBytes: number;
  /** …or once its clock passes this instant (epoch ms). */
  until: number;
  /** Older transcripts also copy subagent usage into `progress` lines of the parent. */
  progressLines: boolean;
  /** Lines per response (each a content block with a copy of the usage); absent: one per block (1-3). */
  streamedLines?: number | undefined;
}

const MAIN_MODELS = [
  ['claude-sonnet-4-5-20250929', 6],
  ['claude-opus-4-1-20250805', 1],
  ['claude-opus-4-5-20251101', 2],
  ['claude-sonnet-4-20250514', 1],
] as const;
const SUBAGENT_MODEL = 'claude-haiku-4-5-20251001';

/** Writes one realistic Claude Code session (and its subagent transcripts); returns bytes written. */
export function writeClaudeSession(random: Random, text: TextPool, plan: ClaudeSessionPlan): number {
  const sessionId = random.uuid();
  const folder = join(plan.root, 'projects', plan.project.replaceAll('/', '-'));
  const out = new FileWriter(join(folder, `${sessionId}.jsonl`));
  const model = random.weighted(MAIN_MODELS);
  const oneHourCache = random.chance(0.3);
  let now = plan.startAt;
  let context = random.int(12_000, 25_000);
  let parent: string | null = null;
  let subagentBytes = 0;
  const base = () => ({ parentUuid: parent, isSidechain: false, userType: 'external', cwd: plan.project, sessionId, version: '2.0.31', gitBranch: 'main' });

  const emit = (record: Record<string, unknown>): void => {
    const uuid = random.uuid();
    out.line({ ...base(), ...record, uuid, timestamp: new Date(now).toISOString() });
    parent = uuid;
  };

  out.line({ type: 'summary', summary: 'Work on the ledger', leafUuid: random.uuid() });
  while (out.bytes + subagentBytes < plan.targetBytes && now < plan.until) {
    now += random.int(20, 600) * 1000;
    emit({ type: 'user', message: { role: 'user', content: text.take(random, random.int(40, 600)) } });
    const calls = random.int(1, 8);
    for (let call = 0; call < calls; call++) {
      now += random.int(2, 40) * 1000;
      const growth = random.int(200, 6000);
      const usage = anthropicUsage(random, context, growth, random.skewed(40, 3000), oneHourCache);
      context += growth;
      const toolUse = call < calls - 1;
      const subagent = toolUse && random.chance(0.04);
      writeResponse(random, text, emit, model, usage, toolUse ? (subagent ? 'Task' : random.pick(['Read', 'Bash', 'Edit', 'Grep'])) : undefined, plan.streamedLines);
      if (!toolUse) break;
      if (subagent) {
        const result = writeSubagent(random, text, folder, sessionId, plan, now, plan.progressLines ? emit : undefined);
        subagentBytes += result.bytes;
        now = result.endAt;
      }
      now += random.int(1, 20) * 1000;
      const output = text.take(random, random.skewed(200, 40_000));
      emit({
        type: 'user',
        message: { role: 'user', content: [{ tool_use_id: `toolu_01${random.id(22)}`, type: 'tool_result', content: output }] },
        toolUseResult: { stdout: output, stderr: '', interrupted: false, isImage: false },
      });
    }
    if (context > 180_000 && random.chance(0.5)) context = random.int(20_000, 40_000); // compaction
  }
  out.close();
  return out.bytes + subagentBytes;
}

type Emit = (record: Record<string, unknown>) => void;

function anthropicUsage(random: Random, context: number, growth: number, output: number, oneHour: boolean): Record<string, unknown> {
  const write = growth;
  return {
    input_tokens: random.int(1, 12),
    cache_creation_input_tokens: write,
    cache_read_input_tokens: context,
    cache_creation: { ephemeral_5m_input_tokens: oneHour ? 0 : write, ephemeral_1h_input_tokens: oneHour ? write : 0 },
    output_tokens: output,
    service_tier: 'standard',
  };
}

/** One API response, written as one line per content block; only the last carries the final output count. */
function writeResponse(random: Random, text: TextPool, emit: Emit, model: string, usage: Record<string, unknown>, tool: string | undefined, lines: number | undefined): void {
  const messageId = `msg_01${random.id(22)}`;
  const requestId = `req_011C${random.id(18)}`;
  const blocks: Record<string, unknown>[] = [];
  if (random.chance(0.4)) blocks.push({ type: 'thinking', thinking: text.take(random, random.skewed(100, 4000)), signature: random.id(120) });
  blocks.push({ type: 'text', text: text.take(random, random.skewed(40, 2500)) });
  if (tool !== undefined) blocks.push({ type: 'tool_use', id: `toolu_01${random.id(22)}`, name: tool, input: { command: text.take(random, random.skewed(20, 3000)) } });
  if (lines !== undefined) {
    while (blocks.length < lines) blocks.unshift({ type: 'text', text: text.take(random, random.skewed(40, 1200)) });
    blocks.splice(0, blocks.length - lines);
  }
  blocks.forEach((block, i) => {
    const last = i === blocks.length - 1;
    emit({
      type: 'assistant',
      requestId,
      message: {
        id: messageId,
        type: 'message',
        role: 'assistant',
        model,
        content: [block],
        stop_reason: last ? (tool === undefined ? 'end_turn' : 'tool_use') : null,
        stop_sequence: null,
        usage: last ? usage : { ...usage, output_tokens: random.int(1, 9) },
      },
    });
  });
}

function writeSubagent(random: Random, text: TextPool, folder: string, sessionId: string, plan: ClaudeSessionPlan, startAt: number, progress: Emit | undefined): { bytes: number; endAt: number } {
  const agentId = random.hex(7);
  const out = new FileWriter(join(folder, sessionId, 'subagents', `agent-${agentId}.jsonl`));
  let now = startAt;
  let context = random.int(8_000, 15_000);
  const steps = random.int(2, 10);
  for (let step = 0; step < steps; step++) {
    now += random.int(2, 15) * 1000;
    const growth = random.int(500, 5000);
    const usage = anthropicUsage(random, context, growth, random.skewed(30, 1500), false);
    context += growth;
    const message = {
      id: `msg_01${random.id(22)}`,
      type: 'message',
      role: 'assistant',
      model: SUBAGENT_MODEL,
      content: [{ type: 'text', text: text.take(random, random.skewed(40, 1500)) }],
      stop_reason: 'tool_use',
      usage,
    };
    const requestId = `req_011C${random.id(18)}`;
    const timestamp = new Date(now).toISOString();
    out.line({
      parentUuid: null,
      isSidechain: true,
      userType: 'external',
      cwd: plan.project,
      sessionId,
      agentId,
      version: '2.0.31',
      type: 'assistant',
      requestId,
      message,
      uuid: random.uuid(),
      timestamp,
    });
    progress?.({ type: 'progress', data: { type: 'agent_progress', agentId, message: { type: 'assistant', timestamp, requestId, message } } });
    const output = text.take(random, random.skewed(200, 20_000));
    out.line({
      parentUuid: null,
      isSidechain: true,
      userType: 'external',
      cwd: plan.project,
      sessionId,
      agentId,
      type: 'user',
      message: { role: 'user', content: [{ type: 'tool_result', content: output }] },
      uuid: random.uuid(),
      timestamp,
    });
  }
  out.close();
  return { bytes: out.bytes, endAt: now };
}
