import { readFileSync } from 'node:fs';

// The version `--version` prints, from the nearest package.json above `from`: the package's own,
// whether the CLI runs from src/ (tsx), dist/ (tsc) or dist/bundle/ (bin/clusterctl.js), where
// import.meta.url is the URL of the chunk this code was bundled into, not of this file.
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
