import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { before, describe, test } from 'node:test';
import madge from 'madge';

// The data path reads top to bottom (docs/architecture.md): a file imports only from its own
// folder or from a folder below it, and nothing imports in a circle. madge reads the real import
// graph of src/ (static, dynamic and type-only imports alike); this test holds it to the layers.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Top to bottom. A top-level file (main.ts, cli.ts) is a layer of its own.
const LAYERS: readonly (readonly string[])[] = [
  ['main.ts'],
  ['cli.ts', 'cli'],
  ['commands'],
  ['serve'],
  ['report'],
  ['smoke'],
  ['run'],
  ['import'],
  ['render'],
  ['checks'],
  ['flannel'],
  ['facts'],
  ['kube'],
  ['systemd'],
  ['etcdctl'],
  ['transport'],
  ['inventory'],
  ['util', 'errors.ts', 'io.ts'],
  ['generated'],
];

const layerOf = (file: string): number => {
  const top = file.split('/')[0] ?? file;
  const i = LAYERS.findIndex((names) => names.includes(top));
  if (i < 0) throw new Error(`src/${file} is in no layer: add its folder to LAYERS and to docs/architecture.md`);
  return i;
};

describe('architecture: every import in src/ points down the pipeline', () => {
  let graph: Record<string, string[]>;
  let circular: string[][];
  before(async () => {
    const res = await madge(`${ROOT}src`, { fileExtensions: ['ts'], tsConfig: `${ROOT}tsconfig.json`, detectiveOptions: { ts: { skipTypeImports: false } } });
    graph = res.obj();
    circular = res.circular();
  });

  test('the graph is the whole of src/ (madge resolved every import)', () => {
    assert.ok(Object.keys(graph).length > 90, `only ${Object.keys(graph).length} files seen`);
    for (const [file, deps] of Object.entries(graph)) for (const d of deps) assert.ok(d in graph, `${file} imports ${d}, which madge did not resolve to a file of src/`);
    assert.ok(graph['cli.ts']?.includes('commands/verify.ts'), 'dynamic imports are part of the graph');
  });

  test('no import cycle', () => {
    assert.deepEqual(circular, []);
  });

  test('no import from a layer above', () => {
    const wrong: string[] = [];
    for (const [file, deps] of Object.entries(graph)) {
      for (const d of deps) {
        if (layerOf(d) < layerOf(file)) wrong.push(`${file} → ${d}`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});
