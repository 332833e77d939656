// What `--version` prints, stamped into both bundles (scripts/bundle.mjs, scripts/sea.mjs) with
// esbuild's define: package.json's version and the commit the tree was built from, `-dirty`
// when tracked files differ from it, `unknown` when there is no git or no repository.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function git(dir, args) {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

export function buildInfo(dir = '.') {
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  let commit = 'unknown';
  try {
    // The repository must be this directory's own, not one it happens to sit in.
    if (git(dir, ['rev-parse', '--show-prefix']) === '') {
      commit = git(dir, ['rev-parse', '--short=12', 'HEAD']);
      if (git(dir, ['status', '--porcelain', '--untracked-files=no']) !== '') commit += '-dirty';
    }
  } catch {
    // no git on PATH, not a repository, or no commit yet
  }
  return { version, commit };
}

// esbuild's define for src/cli/version.ts.
export const buildDefine = (dir = '.') => ({ CLUSTERCTL_BUILD: JSON.stringify(buildInfo(dir)) });
