import { createReadStream, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { badArgument, EXIT, TokenledgerError, type ExitCode } from '../../core/errors.js';
import { ingestDropFolder, type DropFolderReport } from '../../ingest/drop-folder.js';
import { ingestLines, type LineInput, type LineIngestReport } from '../../ingest/line-ingest.js';
import { readStdin, type Io } from '../io.js';
import { runTextIngest } from '../text-ingest.js';
import { ledgerOptions } from '../../reports/options.js';
import { requirePersistentLedger } from '../persistent-ledger.js';
import { dropLine, recordTarget, reportCrossings, withWorkspace, type Workspace } from '../workspace.js';
import type { CommandSpec } from './command.js';
import { TEXT_TOOLS } from '../../ingest/text/index.js';

/** Drops shown without --verbose. */
const SHOWN_DROPS = 3;

type Mode = { kind: 'lines'; file: string | undefined } | { kind: 'drop'; dir: string } | { kind: 'text'; file: string | undefined; tool: string };

/** Reads the flags and checks the input exists, before the ledger is opened. */
function mode(io: Io, file: string | undefined, flags: Record<string, unknown>): Mode {
  const textFlags = ['tool', 'model', 'session', 'project'].filter((f) => flags[f] !== undefined);
  if (flags.text !== true && textFlags.length > 0) throw badArgument(`--${textFlags[0]} applies only with --text`);
  if (flags.dropDir !== undefined) {
    if (file !== undefined) throw badArgument('give either a FILE or --drop-dir, not both');
    if (flags.text === true) throw badArgument('--text reads a FILE or standard input, not a drop folder');
    return { kind: 'drop', dir: flags.dropDir as string };
  }
  if (flags.delete === true) throw badArgument('--delete applies only with --drop-dir');
  const named = file === undefined || file === '-' ? undefined : file;
  if (named !== undefined) checkFile(named);
  else if (io.stdin?.isTTY === true) throw badArgument('ingest reads events from a FILE or from standard input; give a FILE, or pipe events in', 'see `tokenledger ingest --help`');
  if (flags.text === true) {
    if (typeof flags.tool !== 'string') throw badArgument('--text needs --tool gemini, openai or minimax (which tool printed the text)');
    if (flags.json === true) throw badArgument('--json is not available with --text');
    return { kind: 'text', file: named, tool: flags.tool };
  }
  return { kind: 'lines', file: named };
}

function checkFile(path: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TokenledgerError('BAD_INPUT', `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  if (!isFile) throw new TokenledgerError('BAD_INPUT', `${path} is not a file`, { hint: 'to take the event files of a folder, use --drop-dir' });
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

async function ingestInput(ws: Workspace, file: string | undefined, flags: Record<string, unknown>): Promise<ExitCode> {
  const io = ws.io;
  const verbose = flags.verbose === true;
  const { target, crossings } = recordTarget(ws, flags.namespace as string | undefined);
  const input: LineInput = file === undefined ? { name: 'stdin', origin: 'ingest:stdin', chunks: io.stdin ?? [] } : { name: file, origin: `ingest:${resolve(file)}`, chunks: createReadStream(file) };
  const report = await ingestLines(target, input, {
    now: io.now(),
    onDrop: verbose ? (d) => io.stderr.write(`${dropLine(d)}\n`) : undefined,
    onCommit: () => reportCrossings(ws, crossings),
  });
  if (!verbose && report.dropped > 0) {
    for (const d of report.firstDrops.slice(0, SHOWN_DROPS)) io.stderr.write(`${dropLine(d)}\n`);
    if (report.dropped > SHOWN_DROPS) io.stderr.write(`… and ${report.dropped - SHOWN_DROPS} more (run with --verbose to list them all)\n`);
  }
  if (flags.json === true) io.stdout.write(`${JSON.stringify(linesJson(input.name, report), null, 2)}\n`);
  else io.stderr.write(`${linesSummary(input.name, report)}\n`);
  return report.dropped > 0 ? EXIT.partial : EXIT.ok;
}

function linesJson(source: string, r: LineIngestReport): unknown {
  return {
    source,
    lines: r.records,
    events: r.events,
    inserted: r.inserted,
    duplicates: r.duplicates,
    federation: { reports: r.spends, inserted: r.spendsInserted, updated: r.spendsUpdated, unchanged: r.spendsUnchanged },
    dropped: r.dropped,
    firstDrops: r.firstDrops.map((d) => ({ line: d.line, reason: d.reason })),
  };
}

function linesSummary(source: string, r: LineIngestReport): string {
  const parts: string[] = [];
  if (r.events > 0 || r.spends === 0) parts.push(`${plural(r.events, 'event')} (${r.inserted} new, ${r.duplicates} already recorded)`);
  if (r.spends > 0) parts.push(`${plural(r.spends, 'federation report')} (${r.spendsInserted} new, ${r.spendsUpdated} raised, ${r.spendsUnchanged} unchanged)`);
  if (r.dropped > 0) parts.push(`${plural(r.dropped, 'line')} dropped`);
  return `ingest ${source}: ${plural(r.records, 'line')} read: ${parts.join(', ')}.`;
}

async function ingestFolder(ws: Workspace, dir: string, flags: Record<string, unknown>): Promise<ExitCode> {
  const io = ws.io;
  const { target, crossings } = recordTarget(ws, flags.namespace as string | undefined);
  const report = await ingestDropFolder({ dir, target, remove: flags.delete === true, now: () => io.now() });
  reportCrossings(ws, crossings);
  for (const r of report.rejected) io.stderr.write(`rejected ${r.file}: ${r.reason}\n`);
  if (flags.verbose === true) for (const name of report.waiting) io.stderr.write(`waiting for ${name} (still being written, or changed while read)\n`);
  if (flags.json === true) io.stdout.write(`${JSON.stringify({ dir: resolve(dir), ...report }, null, 2)}\n`);
  else io.stderr.write(`${folderSummary(dir, report)}\n`);
  return report.rejected.length > 0 ? EXIT.partial : EXIT.ok;
}

function folderSummary(dir: string, r: DropFolderReport): string {
  const parts = [`${plural(r.files, 'file')} recorded (${plural(r.events, 'event')}: ${r.inserted} new, ${r.duplicates} already recorded)`];
  if (r.rejected.length > 0) parts.push(`${r.rejected.length} rejected (see rejected/*.reason)`);
  if (r.waiting.length > 0) parts.push(`${r.waiting.length} waiting`);
  return `ingest ${dir}: ${parts.join(', ')}.`;
}

async function ingestText(ws: Workspace, file: string | undefined, tool: string, flags: Record<string, unknown>): Promise<ExitCode> {
  const text = file === undefined ? await readStdin(ws.io) : readFileSync(file, 'utf8');
  return runTextIngest(
    ws,
    { text, name: file ?? 'stdin' },
    {
      tool,
      ...(typeof flags.model === 'string' ? { model: flags.model } : {}),
      ...(typeof flags.session === 'string' ? { sessionId: flags.session } : {}),
      ...(typeof flags.project === 'string' ? { project: flags.project } : {}),
      ...(typeof flags.namespace === 'string' ? { namespaceFlag: flags.namespace } : {}),
      verbose: flags.verbose === true,
    },
  );
}

export const ingestCommand: CommandSpec = {
  name: 'ingest',
  summary: 'record usage events other tools write: JSON lines from a FILE or stdin, or the event files of a drop folder',
  configure(command) {
    ledgerOptions(command)
      .argument('[file]', 'JSON lines of usage events (- or nothing: standard input)')
      .option('--drop-dir <dir>', 'take the event files (*.json, *.jsonl) in this folder, once; each is then moved to processed/ (bad ones to rejected/)')
      .option('--delete', 'with --drop-dir: delete recorded files instead of moving them to processed/')
      .option('--text', 'the input is the text a tool printed (its usage lines), not JSON events; needs --tool')
      .option('--tool <name>', `with --text: the tool that printed it (${TEXT_TOOLS.map((t) => t.id).join(', ')})`)
      .option('--model <model>', 'with --text: the model, when the text does not name it')
      .option('--session <id>', 'with --text: the session id the usage is filed under')
      .option('--project <path>', 'with --text: the project the usage is filed under')
      .option('-j, --json', 'print the counts as JSON on stdout instead of the summary line on stderr');
  },
  async run(io, args, flags) {
    const chosen = mode(io, args[0], flags);
    requirePersistentLedger(flags, io, 'ingest');
    return withWorkspace(
      flags,
      io,
      () => undefined,
      async (ws) => {
        if (chosen.kind === 'drop') return ingestFolder(ws, chosen.dir, flags);
        if (chosen.kind === 'text') return ingestText(ws, chosen.file, chosen.tool, flags);
        return ingestInput(ws, chosen.file, flags);
      },
    );
  },
};
