import type { Source } from '../../core/source.js';
import { AGENT, openParser } from './parser.js';
import { defaultRoots, fileAt, listFiles, projectsDir } from './paths.js';

export const claudeCode: Source = {
  id: AGENT,
  label: 'Claude Code',
  aliases: ['claude', 'cc'],
  rootsEnvVar: 'CLAUDE_CONFIG_DIR',
  defaultRoots,
  listFiles,
  watchFolders: (root) => [projectsDir(root)],
  fileAt,
  openParser: (file) => openParser(file),
};
