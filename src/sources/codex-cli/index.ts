import type { Source } from '../../core/source.js';
import { AGENT, openParser } from './parser.js';
import { defaultRoots, fileAt, listFiles, watchFolders } from './paths.js';

export const codexCli: Source = {
  id: AGENT,
  label: 'Codex CLI',
  aliases: ['codex'],
  rootsEnvVar: 'CODEX_HOME',
  defaultRoots,
  listFiles,
  watchFolders,
  fileAt,
  openParser,
};
