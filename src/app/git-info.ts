import { execFile } from 'node:child_process';

export interface GitInfo {
  sha: string;
  shaShort: string;
  branch: string | null;
  isDirty: boolean;
}

/** The commit the working folder is at, for snapshots CI compares; null outside a git checkout or without git. */
export async function gitInfo(cwd: string): Promise<GitInfo | null> {
  const git = (args: string[]): Promise<string | undefined> =>
    new Promise((resolve) => execFile('git', args, { cwd, timeout: 5000, windowsHide: true }, (error, stdout) => resolve(error === null ? stdout.trim() : undefined)));
  const [sha, branch, status] = await Promise.all([git(['rev-parse', 'HEAD']), git(['rev-parse', '--abbrev-ref', 'HEAD']), git(['status', '--porcelain', '--untracked-files=no'])]);
  if (sha === undefined || !/^[0-9a-f]{40,64}$/.test(sha)) return null;
  return { sha, shaShort: sha.slice(0, 7), branch: branch === undefined || branch === 'HEAD' ? null : branch, isDirty: status !== undefined && status !== '' };
}
