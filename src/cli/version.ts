import { readFileSync } from 'node:fs';

// What the build stamped in (scripts/build-info.mjs, through esbuild's define): package.json's
// version and the git commit, so the single executable needs no package.json beside it. Unset
// when the CLI runs from src/ (tsx) or dist/ (tsc).
declare const CLUSTERCTL_BUILD: { version: string; commit: string } | undefined;

// `--version`: the version and the commit it was built from (`unknown` without git or a build).
export function versionText(): string {
  const build = typeof CLUSTERCTL_BUILD === 'undefined' ? { version: packageVersion(), commit: 'unknown' } : CLUSTERCTL_BUILD;
  return `${build.version} (commit ${build.commit})`;
}

// The version in the nearest package.json above `from`: the package's own, whether the CLI runs
// from src/ (tsx) or dist/ (tsc).
export function packageVersion(from: string | URL = import.meta.url): string {
  for (let dir = new URL('.', from); ; dir = new URL('..', dir)) {
    let text: string;
    try {
      text = readFileSync(new URL('package.json', dir), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && dir.pathname !== '/') continue;
      throw err;
    }
    return (JSON.parse(text) as { version: string }).version;
  }
}
