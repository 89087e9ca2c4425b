import type { RecordSink } from '../../core/source.js';
import { JsonCursor, KeySet, StringReuse } from '../shared/json-cursor.js';
import { parseObjectRecords } from '../shared/json-line.js';

/** The message fields tokenledger reads from a transcript line. */
export interface MessageFields {
  id?: string | undefined;
  model?: string | undefined;
  usage?: unknown;
}

/** The usage fields read (fixed shape: absent fields are undefined). */
interface Usage {
  input_tokens: unknown;
  output_tokens: unknown;
  cache_creation_input_tokens: unknown;
  cache_read_input_tokens: unknown;
  cache_creation: unknown;
  iterations: unknown;
  service_tier: unknown;
  speed: unknown;
}

interface CacheSplit {
  ephemeral_5m_input_tokens: unknown;
  ephemeral_1h_input_tokens: unknown;
}

/**
 * The fields of one Claude Code transcript line that can matter for usage. Strings that are not
 * strings in the line are left out, so both readers below agree on every input.
 */
export interface ClaudeLine {
  type?: string | undefined;
  sessionId?: string | undefined;
  cwd?: string | undefined;
  /** ISO text, or epoch ms when read straight from canonical UTC bytes. */
  timestamp?: string | number | undefined;
  requestId?: string | undefined;
  uuid?: string | undefined;
  isSidechain: boolean;
  message?: MessageFields | undefined;
  /** `data.message` of a `progress` line: a subagent's transcript line. */
  progress?: { requestId?: string | undefined; timestamp?: string | number | undefined; uuid?: string | undefined; message?: MessageFields | undefined } | undefined;
}

const TOP = new KeySet(['type', 'sessionId', 'cwd', 'timestamp', 'requestId', 'uuid', 'isSidechain', 'message', 'data']);
const MESSAGE = new KeySet(['id', 'model', 'usage']);
const DATA = new KeySet(['message']);
const PROGRESS = new KeySet(['requestId', 'timestamp', 'uuid', 'message']);
const USAGE_NAMES = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens', 'cache_creation', 'iterations', 'service_tier', 'speed'] as const;
const USAGE = new KeySet(USAGE_NAMES);
const CACHE_SPLIT_NAMES = ['ephemeral_5m_input_tokens', 'ephemeral_1h_input_tokens'] as const;
const CACHE_SPLIT = new KeySet(CACHE_SPLIT_NAMES);

/** Strings that repeat line after line are decoded once per file, in these slots. */
const SLOT = { type: 0, sessionId: 1, cwd: 2, model: 3, serviceTier: 4, speed: 5 } as const;

/**
 * Reads Claude Code lines straight from their bytes, skipping the content blocks, and falls back
 * to `JSON.parse` (which reports the exact problem) whenever a line is not plain, well-formed JSON.
 * One reader per file: it remembers the strings that repeat from line to line.
 */
export class ClaudeLineReader {
  readonly #c = new JsonCursor();
  readonly #reuse = new StringReuse();

  /**
   * Hands each record of the line to `each`: one, read straight from the bytes; or, for a line that
   * is not plain well-formed JSON, every object `JSON.parse` accepts in it (a line can hold records
   * written back to back), the line being dropped only when none parses.
   */
  each(bytes: Buffer, start: number, end: number, sink: RecordSink, each: (line: ClaudeLine) => void): void {
    const c = this.#c;
    c.reset(bytes, start, end);
    c.skipSpace();
    const line = this.#top();
    if (line !== undefined && !c.failed && c.atEnd()) {
      each(line);
      return;
    }
    for (const record of parseObjectRecords(bytes, start, end, sink)) each(fromObject(record));
  }

  #top(): ClaudeLine | undefined {
    const c = this.#c;
    if (!c.openObject()) return undefined;
    // Every field exists from the start (undefined until read): one hidden class, no deletes.
    const line: ClaudeLine = {
      type: undefined,
      sessionId: undefined,
      cwd: undefined,
      timestamp: undefined,
      requestId: undefined,
      uuid: undefined,
      isSidechain: false,
      message: undefined,
      progress: undefined,
    };
    for (let first = true; c.member(first); first = false) {
      switch (TOP.find(c)) {
        case 0:
          line.type = this.#string(SLOT.type);
          break;
        case 1:
          line.sessionId = this.#string(SLOT.sessionId);
          break;
        case 2:
          line.cwd = this.#string(SLOT.cwd);
          break;
        case 3:
          line.timestamp = this.#timestamp();
          break;
        case 4:
          line.requestId = this.#string(-1);
          break;
        case 5:
          line.uuid = this.#string(-1);
          break;
        case 6:
          line.isSidechain = c.isTrue();
          c.skipValue();
          break;
        case 7:
          line.message = this.#message();
          break;
        case 8:
          if (c.isObject()) this.#data(line);
          else c.skipValue();
          break;
        default:
          c.skipValue();
      }
    }
    return line;
  }

  /** A string member (or undefined for any other value, which is skipped). */
  #string(slot: number): string | undefined {
    const c = this.#c;
    if (!c.isString()) {
      c.skipValue();
      return undefined;
    }
    return slot === -1 ? c.readString() : this.#reuse.read(slot, c);
  }

  #timestamp(): string | number | undefined {
    return this.#c.readIsoUtc() ?? this.#string(-1);
  }

  #message(): MessageFields | undefined {
    const c = this.#c;
    if (!c.openObject()) {
      c.skipValue();
      return undefined;
    }
    const message: MessageFields = { id: undefined, model: undefined, usage: undefined };
    for (let first = true; c.member(first); first = false) {
      switch (MESSAGE.find(c)) {
        case 0:
          message.id = this.#string(-1);
          break;
        case 1:
          message.model = this.#string(SLOT.model);
          break;
        case 2:
          message.usage = c.isObject() ? this.#usage() : c.readValue();
          break;
        default:
          c.skipValue();
      }
    }
    return message;
  }

  #usage(): Usage {
    const c = this.#c;
    c.openObject();
    const usage: Usage = {
      input_tokens: undefined,
      output_tokens: undefined,
      cache_creation_input_tokens: undefined,
      cache_read_input_tokens: undefined,
      cache_creation: undefined,
      iterations: undefined,
      service_tier: undefined,
      speed: undefined,
    };
    for (let first = true; c.member(first); first = false) {
      switch (USAGE.find(c)) {
        case 0:
          usage.input_tokens = this.#number();
          break;
        case 1:
          usage.output_tokens = this.#number();
          break;
        case 2:
          usage.cache_creation_input_tokens = this.#number();
          break;
        case 3:
          usage.cache_read_input_tokens = this.#number();
          break;
        case 4:
          usage.cache_creation = c.isObject() ? this.#cacheSplit() : c.readValue();
          break;
        case 5:
          usage.iterations = c.readValue();
          break;
        case 6:
          usage.service_tier = c.isString() ? this.#reuse.read(SLOT.serviceTier, c) : c.readValue();
          break;
        case 7:
          usage.speed = c.isString() ? this.#reuse.read(SLOT.speed, c) : c.readValue();
          break;
        default:
          c.skipValue();
      }
    }
    return usage;
  }

  #cacheSplit(): CacheSplit {
    const c = this.#c;
    c.openObject();
    const split: CacheSplit = { ephemeral_5m_input_tokens: undefined, ephemeral_1h_input_tokens: undefined };
    for (let first = true; c.member(first); first = false) {
      const k = CACHE_SPLIT.find(c);
      if (k === 0) split.ephemeral_5m_input_tokens = this.#number();
      else if (k === 1) split.ephemeral_1h_input_tokens = this.#number();
      else c.skipValue();
    }
    return split;
  }

  /** An integer read in place; anything else goes through `JSON.parse` so both readers agree. */
  #number(): unknown {
    return this.#c.readInteger() ?? this.#c.readValue();
  }

  #data(line: ClaudeLine): void {
    const c = this.#c;
    c.openObject();
    for (let first = true; c.member(first); first = false) {
      if (DATA.find(c) !== 0) {
        c.skipValue();
        continue;
      }
      if (!c.openObject()) {
        line.progress = undefined;
        c.skipValue();
        continue;
      }
      const progress: NonNullable<ClaudeLine['progress']> = { requestId: undefined, timestamp: undefined, uuid: undefined, message: undefined };
      for (let inner = true; c.member(inner); inner = false) {
        switch (PROGRESS.find(c)) {
          case 0:
            progress.requestId = this.#string(-1);
            break;
          case 1:
            progress.timestamp = this.#timestamp();
            break;
          case 2:
            progress.uuid = this.#string(-1);
            break;
          case 3:
            progress.message = this.#message();
            break;
          default:
            c.skipValue();
        }
      }
      line.progress = progress;
    }
  }
}

/** The same fields from an already parsed line. */
export function fromObject(record: Record<string, unknown>): ClaudeLine {
  const line: ClaudeLine = { isSidechain: record.isSidechain === true };
  for (const key of ['type', 'sessionId', 'cwd', 'timestamp', 'requestId', 'uuid'] as const) {
    const value = record[key];
    if (typeof value === 'string') line[key] = value;
  }
  const message = messageOf(record.message);
  if (message !== undefined) line.message = message;
  const data = record.data;
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const inner = (data as Record<string, unknown>).message;
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      const raw = inner as Record<string, unknown>;
      const progress: NonNullable<ClaudeLine['progress']> = {};
      for (const key of ['requestId', 'timestamp', 'uuid'] as const) {
        const value = raw[key];
        if (typeof value === 'string') progress[key] = value;
      }
      const nested = messageOf(raw.message);
      if (nested !== undefined) progress.message = nested;
      line.progress = progress;
    }
  }
  return line;
}

function messageOf(value: unknown): MessageFields | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const raw = value as Record<string, unknown>;
  const message: MessageFields = {};
  if (typeof raw.id === 'string') message.id = raw.id;
  if (typeof raw.model === 'string') message.model = raw.model;
  if ('usage' in raw) message.usage = usageOf(raw.usage);
  return message;
}

/** The usage fields both readers keep (any others are never read). */
function usageOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const raw = value as Record<string, unknown>;
  const usage: Record<string, unknown> = {};
  for (const name of USAGE_NAMES) {
    if (!(name in raw)) continue;
    const field = raw[name];
    if (name === 'cache_creation' && field !== null && typeof field === 'object' && !Array.isArray(field)) {
      const split: Record<string, unknown> = {};
      for (const k of CACHE_SPLIT_NAMES) if (k in field) split[k] = (field as Record<string, unknown>)[k];
      usage.cache_creation = split;
    } else {
      usage[name] = field;
    }
  }
  return usage;
}
