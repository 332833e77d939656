// `npm run build:sea`: dist/sea/clusterctl-linux-x64, one file that runs every command with no
// node_modules and no Node on PATH — a Node 20 single executable application (docs/install.md).
// src/main.ts and everything it imports (ssh2, @kubernetes/client-node too) in one CommonJS
// bundle, because a SEA's main script can require() only Node's built-ins; that bundle as the
// blob `node --experimental-sea-config` prepares; the blob injected by postject into a copy of
// the node binary that runs this script.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { inject } from 'postject';
import { buildDefine } from './build-info.mjs';

// ssh2's native parts (its sshcrypto.node binding, the optional cpu-features) cannot be loaded
// from inside the executable. ssh2 require()s them in a try and, when that throws, uses Node's
// crypto and its own JS and wasm instead (docs/install.md). Each becomes a module that throws:
// left to the SEA's require(), they would throw too, but Node would also print a warning.
const absentNative = {
  name: 'absent-native',
  setup(b) {
    b.onResolve({ filter: /^cpu-features$|\.node$/ }, (a) => ({ path: a.path, namespace: 'absent-native' }));
    b.onLoad({ filter: /.*/, namespace: 'absent-native' }, (a) => ({
      contents: `throw new Error(${JSON.stringify(`${a.path} is native code, which the single executable does not hold`)});`,
      loader: 'js',
    }));
  },
};

const OUT = 'dist/sea';
const main = join(OUT, 'clusterctl.cjs');
const blob = join(OUT, 'clusterctl.blob');
const exe = join(OUT, `clusterctl-${process.platform}-${process.arch}`);

if (process.platform !== 'linux') throw new Error(`build:sea builds for Linux only (this is ${process.platform})`);
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

await build({
  entryPoints: ['src/main.ts'],
  outfile: main,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  plugins: [absentNative],
  // The whole of clusterctl is parsed at every start (no lazy chunks): 7 MB instead of 17.5 MB,
  // ~0.2 s of CPU for --version instead of ~0.3 s. Names are kept, so stacks still read.
  minifyWhitespace: true,
  minifySyntax: true,
  // The version and commit (src/cli/version.ts). import.meta.url has no CommonJS value: only
  // packageVersion's fallback reads it, which never runs once the version is stamped in.
  define: { ...buildDefine(), 'import.meta.url': '"file:///clusterctl-sea/"' },
  logLevel: 'warning',
});

// useCodeCache: V8 compiles at build time what it would at every start (--version ~0.30 s of
// CPU instead of ~0.46 s, unminified).
writeFileSync(join(OUT, 'sea-config.json'), JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }, null, 2));
execFileSync(process.execPath, ['--experimental-sea-config', join(OUT, 'sea-config.json')], { stdio: 'inherit' });
copyFileSync(process.execPath, exe);
chmodSync(exe, 0o755);
await inject(exe, 'NODE_SEA_BLOB', await readFile(blob), { sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2' });
rmSync(blob);
process.stdout.write(`wrote ${exe} (${(statSync(exe).size / 1e6).toFixed(1)} MB)\n`);
