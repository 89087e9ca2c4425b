import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Random } from './random.js';
import type { TextPool } from './text.js';

export interface GeminiSessionPlan {
  root: string;
  project: string;
  startAt: number;
  messages: number;
  /** No message after this instant (epoch ms). */
  until: number;
}

/** Writes one Gemini CLI chat (the whole-document format) under the project's hash folder. */
export function writeGeminiSession(random: Random, text: TextPool, plan: GeminiSessionPlan): number {
  const sessionId = random.uuid();
  const hash = createHash('sha256').update(plan.project).digest('hex');
  const folder = join(plan.root, hash, 'chats');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(plan.root, hash, '.project_root'), plan.project);
  let now = plan.startAt;
  const messages: Record<string, unknown>[] = [];
  let context = random.int(5_000, 9_000);
  for (let i = 0; i < plan.messages && now < plan.until; i++) {
    now += random.int(20, 300) * 1000;
    messages.push({ id: random.uuid(), timestamp: new Date(now).toISOString(), type: 'user', content: text.take(random, random.int(30, 400)) });
    now += random.int(3, 40) * 1000;
    const input = context + random.int(200, 4000);
    const output = random.skewed(30, 2500);
    const thoughts = random.int(0, 1200);
    const cached = Math.floor(context * 0.75);
    const tool = random.int(0, 40);
    messages.push({
      id: random.uuid(),
      timestamp: new Date(now).toISOString(),
      type: 'gemini',
      model: random.chance(0.7) ? 'gemini-2.5-pro' : 'gemini-2.5-flash',
      content: text.take(random, random.skewed(40, 2000)),
      tokens: { input, output, cached, thoughts, tool, total: input + output + thoughts + tool },
    });
    context = input + output;
  }
  const doc = { sessionId, projectHash: hash, startTime: new Date(plan.startAt).toISOString(), lastUpdated: new Date(now).toISOString(), messages };
  const body = JSON.stringify(doc, null, 2);
  writeFileSync(join(folder, `session-${new Date(plan.startAt).toISOString().slice(0, 16).replace(':', '-')}-${sessionId.slice(0, 8)}.json`), body);
  return Buffer.byteLength(body);
}
