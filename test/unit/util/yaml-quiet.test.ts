// The yaml library prints its warnings through process.emitWarning with the source line raw:
// every YAML parse of node or config text must keep them to itself (src/util/yaml-quiet.ts).
// These tests run real processes and read their real stderr.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { runCli } from '../../helpers/cli.js';
import { forbiddenIn } from '../../helpers/hostile-text.js';

// An unresolved tag (a warning from parse()) on a line whose comment holds escape sequences, and
// a key that is a collection (a warning from toJS()) holding a C1 CSI.
const EVIL = '# \x1b]0;PWNED\x07\x1b[2J\x1b[31mRED\u009b2J';
const COLLECTION_KEY = '? [x, "\u009b2J\x1b[2J"] : 1\n';

const dir = mkdtempSync(join(tmpdir(), 'yaml-quiet-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

function assertQuiet(stderr: string): void {
  assert.equal(stderr.includes('\x1b'), false, `raw ESC on stderr: ${JSON.stringify(stderr)}`);
  assert.equal(forbiddenIn(stderr), null);
  assert.doesNotMatch(stderr, /YAMLWarning|Unresolved tag|Keys with collection values/);
}

describe('YAML warnings never reach stderr', () => {
  test("the parsers of a node's files: kubelet config, kubeconfig (a real node process, its real stderr)", async () => {
    const src = (p: string) => pathToFileURL(join(process.cwd(), 'src', p)).href;
    const script = `
      const { parseKubeletConfig } = await import(${JSON.stringify(src('kube/kubelet-config.ts'))});
      const { kubeconfigClientCert } = await import(${JSON.stringify(src('kube/cert-paths.ts'))});
      const { readClc } = await import(${JSON.stringify(src('render/clc.ts'))});
      const kubelet = parseKubeletConfig(${JSON.stringify(`kind: KubeletConfiguration\nhealthzPort: 10248\nfeatureGates: !evil {} ${EVIL}\n${COLLECTION_KEY}`)}, '/etc/kubernetes/kubelet.yaml');
      const kubeconfig = kubeconfigClientCert(${JSON.stringify(`users:\n  - name: k\n    user: { client-certificate: !evil /pki/k.pem } ${EVIL}\n${COLLECTION_KEY}`)}, '/etc/kubernetes/kubeconfig');
      const clc = readClc(${JSON.stringify(`passwd: !evil {} ${EVIL}\n`)});
      process.stdout.write(JSON.stringify({ kubelet, kubeconfig, clc }));`;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    assertQuiet(stderr);
    assert.equal(stderr, '');
    // The values still parse: the warnings were about tags and keys, not the settings.
    assert.deepEqual(JSON.parse(stdout), { kubelet: { ok: { healthzPort: 10248 } }, kubeconfig: { ok: { path: '/pki/k.pem' } }, clc: { passwd: {} } });
  });
  test('the built CLI: lint -i, import, lint --from with -i', async () => {
    const inv = file('inv.yaml', `defaults:\n  user: !evil core ${EVIL}\n${COLLECTION_KEY}nodes:\n  - { name: a, host: 198.18.1.1, roles: [etcd] }\n`);
    const clc = file('n1.yaml', `passwd:\n  users:\n    - name: !evil core ${EVIL}\n${COLLECTION_KEY}storage:\n  files:\n    - path: /etc/hostname\n      filesystem: root\n      contents: { inline: n1 }\n`);
    for (const args of [['lint', '-i', inv], ['import', clc], ['lint', '--from', clc, '-i', inv]]) {
      const r = await runCli(args);
      assertQuiet(r.stderr);
      assert.notEqual(r.code, 3, r.stderr);
    }
  });
});

describe('every YAML parse in src passes QUIET_YAML', () => {
  test('each parse( or parseDocument( call of a file that imports them from yaml', () => {
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const loud: string[] = [];
    for (const f of files) {
      const text = readFileSync(join('src', f), 'utf8');
      if (!/import \{[^}]*\b(parse|parseDocument)\b[^}]*\} from 'yaml'/.test(text)) continue;
      text.split('\n').forEach((line, i) => {
        if (/(?<![.\w])(parse|parseDocument)\(/.test(line) && !line.includes('QUIET_YAML')) loud.push(`src/${f}:${i + 1}`);
      });
    }
    assert.deepEqual(loud, []);
    assert.ok(files.length > 100);
  });
});
