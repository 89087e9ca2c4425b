import { statSync } from 'node:fs';
import { EXIT, type ExitCode } from '../../core/errors.js';
import { terminalText } from '../../core/terminal-text.js';
import { configPath, ledgerPath } from '../../config/locations.js';
import type { DroppedRecord } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { SOURCES } from '../../sources/index.js';
import { sourceRoots } from '../../sources/shared/roots.js';
import type { Io } from '../io.js';
import type { CommandSpec } from './command.js';

export const detectCommand: CommandSpec = {
  name: 'detect',
  summary: 'show which agents were found, where their logs are, and where tokenledger keeps its data',
  configure(command) {
    command.option('--db <path>', 'ledger file').option('--config <path>', 'config file').option('-j, --json', 'print JSON');
  },
  async run(io: Io, _args, flags): Promise<ExitCode> {
    const agents = SOURCES.map((source) => {
      const roots = sourceRoots(source, io.env).map((root) => {
        const listed = source.listFiles(root);
        let bytes = 0;
        for (const f of listed.files) {
          try {
            bytes += statSync(f.path).size;
          } catch {
            // vanished while listing
          }
        }
        return { path: root, exists: exists(root), files: listed.files.length, bytes, unreadable: listed.unreadable };
      });
      return { agent: source.id, name: source.label, variable: source.rootsEnvVar, variableSet: io.env[source.rootsEnvVar] !== undefined, roots };
    });
    const ledger = ledgerPath(typeof flags.db === 'string' ? flags.db : undefined, io.env);
    const result = {
      ledger,
      config: configPath(typeof flags.config === 'string' ? flags.config : undefined, io.env).path,
      agents,
      drops: await recordedDrops(ledger),
    };
    if (flags.json === true) {
      io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return EXIT.ok;
    }
    const out: string[] = [`Ledger  ${result.ledger}`, `Config  ${result.config}${exists(result.config) ? '' : ' (none: defaults apply)'}`, ''];
    for (const a of agents) {
      out.push(`${a.name} (${a.agent}), roots from ${a.variableSet ? `$${a.variable}` : `defaults ($${a.variable} unset)`}:`);
      for (const r of a.roots) {
        out.push(`  ${r.path}  ${r.exists ? `${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB` : 'not found'}`);
        for (const u of r.unreadable) out.push(`    cannot read ${u.path}: ${u.reason}`);
      }
    }
    if (result.drops.length > 0) {
      out.push('', `Records the ledger could not use (latest ${result.drops.length}):`);
      for (const d of result.drops) out.push(`  ${d.path}${d.line > 0 ? `:${d.line}` : ''}: ${d.reason}`);
    }
    // Paths and reasons may hold anything a file name or log line can: shown with control characters escaped.
    io.stdout.write(`${out.map(terminalText).join('\n')}\n`);
    return EXIT.ok;
  },
};

const SHOWN_DROPS = 50;

/** The latest records syncs had to drop, from an existing ledger (none is created here). */
async function recordedDrops(path: string): Promise<DroppedRecord[]> {
  if (path === ':memory:' || !exists(path)) return [];
  const ledger = openLedger({ engine: 'sqlite', path });
  try {
    return await ledger.drops(SHOWN_DROPS);
  } finally {
    await ledger.close();
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
