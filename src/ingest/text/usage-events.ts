import { emptyTokens, type UsageEvent } from '../../core/usage-event.js';
import type { UsageLine } from './read-lines.js';
import { textAgent, unknownModel, type TextTool } from './text-tool.js';

/** Where a recorded model name came from: the line, `--model`, the tool's default, or nowhere. */
export type ModelSource = 'line' | 'flag' | 'default' | 'unknown';

/** The model of a usage line: the line's, else `--model`, else the tool's default, else `<tool>-unknown` (unpriced). */
export function modelFor(tool: TextTool, usage: UsageLine, flagModel: string | undefined): { model: string; from: ModelSource } {
  if (usage.model !== undefined) return { model: usage.model, from: 'line' };
  if (flagModel !== undefined && flagModel.trim() !== '') return { model: flagModel.trim(), from: 'flag' };
  if (tool.defaultModel !== undefined) return { model: tool.defaultModel, from: 'default' };
  return { model: unknownModel(tool), from: 'unknown' };
}

export interface TextEventContext {
  flagModel: string | undefined;
  sessionId: string;
  project: string;
  /** When the text was read (printed usage carries no time). */
  occurredAt: number;
}

/** One usage line as the event the ledger stores, under `dedupKey`. */
export function usageEvent(ctx: TextEventContext, usage: UsageLine, dedupKey: string): UsageEvent {
  return {
    ...emptyTokens(),
    agent: textAgent(usage.tool),
    provider: usage.tool.provider,
    model: modelFor(usage.tool, usage, ctx.flagModel).model,
    sessionId: ctx.sessionId,
    project: ctx.project,
    occurredAt: ctx.occurredAt,
    dedupKey,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
  };
}

/** A note about models; `key` (`<tool>:default|unknown`) tells notes of one kind apart from their counts. */
export interface ModelNote {
  key: string;
  text: string;
}

/** What to tell the user about a tool's models: how many lines took the default, how many fell to `<tool>-unknown`. */
export function modelNotes(tool: TextTool, all: readonly UsageLine[], flagModel: string | undefined): ModelNote[] {
  const usages = all.filter((u) => u.tool === tool);
  const from = usages.map((u) => modelFor(tool, u, flagModel).from);
  const defaulted = from.filter((f) => f === 'default').length;
  const unknown = from.filter((f) => f === 'unknown').length;
  const notes: ModelNote[] = [];
  if (defaulted > 0) {
    notes.push({
      key: `${tool.id}:default`,
      text: `note: ${defaulted} ${tool.id} usage line(s) name no model; recorded as ${tool.defaultModel} (${tool.defaultModelNote ?? 'the default'}). Pass --model to name another.`,
    });
  }
  if (unknown > 0) {
    notes.push({
      key: `${tool.id}:unknown`,
      text: `note: ${unknown} ${tool.id} usage line(s) name no model and ${tool.id} has no default; recorded as ${unknownModel(tool)}, which has no price (tokens counted, cost $0). Pass --model to price them.`,
    });
  }
  return notes;
}
