import type { Attributes } from './otlp-record.js';

/**
 * Who recorded an agent's OpenTelemetry event: the person the agent says is signed in, and the
 * machine it ran on. A team ledger reads per-person spend from it (`--user`, `user:` budgets) with
 * no access to anyone's files.
 *
 * - user: the first usable of the attributes `userKeys` names, in order (an e-mail before account
 *   ids), else `otlp`: an event is never left without a user;
 * - machine: `otlp:<host.name>` (the resource attribute), else `otlp`. A machine that syncs log
 *   files is named by an id kept in its state folder, never by a host name: the `otlp` prefix keeps
 *   the two apart, so `detect` can tell usage that came over OpenTelemetry from usage read from logs.
 *
 * Text longer than the ledger keeps (128 characters) or holding control characters is skipped.
 */
export interface OtelRecorder {
  user: string;
  machine: string;
}

export const OTLP_MACHINE = 'otlp';

/** The prefix of every machine name the OpenTelemetry intake files events under. */
export const OTLP_MACHINE_PREFIX = 'otlp:';

const MAX_TEXT = 128;

export function otelRecorder(attributes: Attributes, resource: Attributes, userKeys: readonly string[]): OtelRecorder {
  let user = OTLP_MACHINE;
  for (const key of userKeys) {
    const text = usable(attributes[key] ?? resource[key]);
    if (text !== undefined) {
      user = text;
      break;
    }
  }
  const host = usable(resource['host.name'], MAX_TEXT - OTLP_MACHINE_PREFIX.length);
  return { user, machine: host === undefined ? OTLP_MACHINE : `${OTLP_MACHINE_PREFIX}${host}` };
}

/** Whether a machine name is one the OpenTelemetry intake files events under. */
export function isOtlpMachine(machine: string): boolean {
  return machine === OTLP_MACHINE || machine.startsWith(OTLP_MACHINE_PREFIX);
}

function usable(value: unknown, max = MAX_TEXT): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '' || text.length > max || /[\u0000-\u001f\u007f-\u009f]/.test(text)) return undefined;
  return text;
}
