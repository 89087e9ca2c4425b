import type { Source } from '../../core/source.js';
import { AGENT, openParser } from './parser.js';
import { defaultRoots, fileAt, listFiles } from './paths.js';

export const claudeCode: Source = {
  id: AGENT,
  label: 'Claude Code',
  aliases: ['claude', 'cc'],
  rootsEnvVar: 'CLAUDE_CONFIG_DIR',
  defaultRoots,
  listFiles,
  fileAt,
  openParser: (file) => openParser(file),
};
