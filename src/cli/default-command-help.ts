import type { Command } from 'commander';

/**
 * The text the main `--help` ends with: the default command and its options, so running
 * `tokenledger` with a flag is not a guess.
 */
export function defaultCommandHelp(program: Command, defaultName: string | undefined): string {
  const command = program.commands.find((c) => c.name() === defaultName);
  if (command === undefined) return '';
  const help = program.createHelp();
  const options = help.visibleOptions(command).filter((option) => option.long !== '--help');
  const terms = options.map((option) => help.optionTerm(option));
  const width = Math.max(...terms.map((t) => t.length));
  const lines = options.map((option, i) => `  ${terms[i]!.padEnd(width)}  ${help.optionDescription(option)}`);
  return `\nWithout a command, tokenledger runs \`${command.name()}\`, which takes these options (\`tokenledger ${command.name()} --help\` shows them too):\n${lines.join('\n')}\n`;
}
