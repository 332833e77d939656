// The CLI that bin/clusterctl.js runs: src/main.ts and its dependencies in a few ESM files, because
// loading hundreds of small modules (resolve, stat, open, compile each) was most of a one-node
// verify's start-up (docs/speed.md). tsc still emits dist/ (typecheck, tests that import dist/).
import { build } from 'esbuild';
import { buildDefine } from './build-info.mjs';

await build({
  entryPoints: ['src/main.ts'],
  outdir: 'dist/bundle',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  define: buildDefine(),
  // One chunk per lazily imported command (src/cli.ts): `--help` and `lint` load no ssh2 or listr2.
  splitting: true,
  // ssh2 loads a native binding (cpu-features is its optional one); client-node is large and is
  // only imported when a kube check runs. All three are loaded from node_modules at run time.
  external: ['ssh2', 'cpu-features', '@kubernetes/client-node'],
  // Bundled CommonJS (commander) calls require() for Node's built-ins; ESM output has none.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // External maps: stack traces of an internal error map back to src/ (main.ts enables them then).
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
});
