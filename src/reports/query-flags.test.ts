import { Option, type Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { thrown } from '../testing/thrown.js';
import { reportOptions } from './options.js';
import { flagsFromQuery } from './query-flags.js';

const daily = { name: 'daily', configure: (command: Command) => void reportOptions(command, ['table', 'json', 'csv']) };
const parse = (query: string) => flagsFromQuery(daily, query);
const message = (query: string) => thrown(() => parse(query)).message;

describe('flagsFromQuery', () => {
  it('gives a value option its value and a switch true, with the command line defaults', () => {
    expect(parse('since=2026-11-01&breakdown&agent=claude')).toEqual({ since: '2026-11-01', breakdown: true, agent: 'claude', order: 'asc', format: 'table', sync: true });
  });

  it('reads =true as the switch given and =false as the switch left off', () => {
    expect(parse('breakdown=true').breakdown).toBe(true);
    expect(parse('breakdown=false').breakdown).toBeUndefined();
  });

  it('takes values that start with a dash or hold spaces as they are', () => {
    expect(parse('since=-7d&project=my%20app').since).toBe('-7d');
    expect(parse('project=my%20app&until=1d')).toMatchObject({ project: 'my app', until: '1d' });
  });

  it('gives --no-<name> for <name>=false where only the negation is declared', () => {
    const command = { name: 'x', configure: (c: Command) => void c.option('--no-color', 'plain') };
    expect(flagsFromQuery(command, 'color=false')).toEqual({ color: false });
    expect(flagsFromQuery(command, 'color=true')).toEqual({ color: true });
    expect(flagsFromQuery(command, 'no-color')).toEqual({ color: false });
    expect(flagsFromQuery(command, '')).toEqual({ color: true });
  });

  it('gives --no-<name> for <name>=false on a switch declared both ways', () => {
    const command = { name: 'x', configure: (c: Command) => void c.option('--cache', 'use it').option('--no-cache', 'do not') };
    expect(flagsFromQuery(command, 'cache=false')).toEqual({ cache: false });
    expect(flagsFromQuery(command, 'cache')).toEqual({ cache: true });
  });

  it("refuses unknown parameters with commander's message, as a bad argument", () => {
    const error = thrown(() => parse('sinse=2026-11-01'));
    expect(error.code).toBe('BAD_ARGUMENT');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe("unknown option '--sinse'\n(Did you mean --since?)");
  });

  it("refuses a value outside an option's choices with commander's message", () => {
    expect(message('order=sideways')).toBe("option '-o, --order <order>' argument 'sideways' is invalid. Allowed choices are asc, desc.");
  });

  it('refuses options local to the command line: the ledger, the config, the format, the sync', () => {
    for (const query of ['db=/tmp/other.db', 'db', 'config=/etc/x.json', 'json', 'format=csv', 'no-sync', 'sync=false', 'verbose']) {
      expect(message(query), query).toMatch(/^unknown option '--(db|config|json|format|no-sync|sync|verbose)'/);
    }
  });

  it('does not let a local option take the next parameter as its value', () => {
    expect(message('db&since=2026-11-01')).toBe("unknown option '--db'");
  });

  it('refuses a value for a switch', () => {
    expect(message('breakdown=yes')).toBe('the parameter breakdown is a switch: give it no value, true or false, got "yes"');
  });

  it('never shows help nor exits for help or version', () => {
    expect(message('help')).toMatch(/^unknown option '--help'/);
    const versioned = { name: 'x', configure: (c: Command) => void c.version('1.0.0').addOption(new Option('--when <t>', 'time')) };
    expect(flagsFromQuery(versioned, 'when=now')).toEqual({ when: 'now' });
  });

  it('takes a URLSearchParams as well as a string', () => {
    expect(flagsFromQuery(daily, new URLSearchParams({ last: '3', timezone: 'UTC' }))).toMatchObject({ last: '3', timezone: 'UTC' });
  });
});
