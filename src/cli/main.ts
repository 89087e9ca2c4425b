import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../core/package-root.js';
import { describeError, EXIT, TokenledgerError, type ExitCode } from '../core/errors.js';
import { redactUrls } from '../core/redact-url.js';
import type { CommandSpec } from './commands/command.js';
import { COMMANDS } from './commands/index.js';
import { defaultCommandHelp } from './default-command-help.js';
import { processIo, type Io } from './io.js';
import { unknownCommand } from './unknown-command.js';

function version(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/** Parses `argv` and runs one command; returns the exit code instead of exiting. */
export async function runCli(argv: readonly string[], io: Io): Promise<ExitCode> {
  let exit: ExitCode = EXIT.ok;
  const program = new Command('tokenledger')
    .description('One ledger for every token your AI agents spend: collect, price, keep and report usage.')
    .version(version(), '-V, --version')
    .option('--no-color', 'no colour in tables and views (as NO_COLOR=1 does)')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const add = (parent: Command, spec: CommandSpec): void => {
    const command = parent.command(spec.name, spec.isDefault === true ? { isDefault: true } : {}).description(spec.summary);
    spec.configure(command);
    const run = spec.run;
    if (run !== undefined) {
      command.action(async (...params: unknown[]) => {
        const cmd = params[params.length - 1] as Command;
        exit = await run(program.opts().color === false ? { ...io, env: { ...io.env, NO_COLOR: '1' } } : io, cmd.args, cmd.opts());
      });
    }
    for (const sub of spec.subcommands ?? []) add(command, sub);
  };
  for (const spec of COMMANDS) add(program, spec);
  program.addHelpText('after', () => defaultCommandHelp(program, COMMANDS.find((spec) => spec.isDefault === true)?.name));

  try {
    // The default command takes no words, so a first word that names no command is a typo.
    const first = argv[0];
    const names = [...COMMANDS.map((spec) => spec.name), 'help'];
    if (first !== undefined && !first.startsWith('-') && !names.includes(first)) throw unknownCommand(first, names);
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; everything else commander rejects is a bad argument.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof TokenledgerError) {
      // Last guard: no URL's password or token leaves in an error, whichever path quoted it.
      io.stderr.write(`tokenledger: ${redactUrls(error.message)}\n`);
      if (error.hint !== undefined) io.stderr.write(`  hint: ${redactUrls(error.hint)}\n`);
      return error.exitCode;
    }
    io.stderr.write(`tokenledger: unexpected failure: ${redactUrls(describeError(error))}\n`);
    if (io.env.TOKENLEDGER_DEBUG !== undefined && error instanceof Error && error.stack !== undefined) io.stderr.write(`${error.stack}\n`);
    return EXIT.failure;
  }
}

/** The executable's entry: the only place tokenledger exits the process. */
export async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), processIo());
  process.exitCode = code;
}
