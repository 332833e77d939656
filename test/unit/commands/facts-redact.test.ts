import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { shortenSecretHashes } from '../../../src/commands/facts.js';
import { PROBE } from '../../../src/facts/probe.js';
import type { Inventory, NodeSpec } from '../../../src/inventory/types.js';
import { gatherNode } from '../../../src/run/gather-node.js';
import { runVerify } from '../../../src/run/verify.js';
import { formatJson } from '../../../src/report/json.js';
import { formatJunit } from '../../../src/report/junit.js';
import { facts, flannel, node } from '../../fixtures/facts/builders.js';
import { fakeTransport, probeOutput } from '../../helpers/fake-transport.js';

// Issue 23: a node's secrets, each the way a node shows them. None of these values may be printed.
const SECRETS = ['pw-in-unit', 'pw-in-flag', 'pw in env file', 'pw-after-flag', 'tok-kubelet', 'pw-in-journal', 'tok-unit-env'];
const KEYFILE = '/etc/ssl/etcd/client-key.pem';

const probe = probeOutput({
  init: { body: 'systemd' },
  units: { body: 'flanneld.service loaded failed failed flannel' },
  'unit-files': { body: 'flanneld.service enabled enabled' },
  'units.failed': { body: 'unit flanneld.service\n| flanneld[5]: E1205 cannot log in with FLANNELD_ETCD_PASSWORD=pw-in-journal' },
  // flanneld.service as systemctl cat prints it, then the environment file its unit names.
  'flannel.unit': {
    body: [
      '| # /etc/systemd/system/flanneld.service',
      '| [Service]',
      '| EnvironmentFile=/run/flannel/options.env',
      '| Environment="FLANNELD_ETCD_PASSWORD=pw-in-unit" "FLANNELD_IFACE=eth0"',
      '| ExecStart=/usr/bin/flanneld --etcd-password=pw-in-flag --etcd-username core --etcd-password pw-after-flag',
      'environment-file /run/flannel/options.env',
      '| FLANNELD_ETCD_PASSWORD=pw in env file',
      `| FLANNELD_ETCD_KEYFILE=${KEYFILE}`,
      '| FLANNELD_ETCD_ENDPOINTS=https://198.18.1.11:2379',
    ].join('\n'),
  },
  'kube.procs': { body: 'process 900 kubelet uid 0 0 0 0\n| /opt/bin/kubelet\n| --bootstrap-token=tok-kubelet\n| --token-auth-file=/etc/kubernetes/tokens.csv' },
  'kube.units': { body: 'unit kubelet.service\n| # /etc/systemd/system/kubelet.service\n| [Service]\n| Environment=KUBELET_TOKEN=tok-unit-env\n| ExecStart=/opt/bin/kubelet' },
});

const n: NodeSpec = node({ name: 'n1', roles: ['worker'] });
const inv: Inventory = { path: '/t/inventory.yaml', cluster: { etcd: { endpoints: [] }, flannel: flannel(), services: { all: ['flanneld.service'], etcd: [], master: [], worker: [] } }, nodes: [n] };
const deps = { connect: async () => fakeTransport({ [PROBE]: { stdout: probe } }), commandTimeoutMs: 1000, gatherers: [] };
const leaked = (text: string) => SECRETS.filter((s) => text.includes(s));

describe('secrets a node shows are never printed', () => {
  test('facts: none of the secrets; the paths of key and token files stay', async () => {
    const g = await gatherNode(n, inv, deps);
    assert.ok(g.gathered?.ok);
    const json = JSON.stringify(shortenSecretHashes(g.gathered.facts));
    assert.deepEqual(leaked(json), []);
    // Each secret was there to hide: the redaction mark stands where each one was.
    assert.equal(json.split('<redacted>').length - 1, SECRETS.length, json);
    assert.ok(json.includes(`"FLANNELD_ETCD_KEYFILE":"${KEYFILE}"`) && json.includes('--token-auth-file=/etc/kubernetes/tokens.csv'), json);
    assert.ok(json.includes('https://198.18.1.11:2379'));
  });

  test('verify: no check message, --json or --junit holds one (the failed unit\'s log line is shown, redacted)', async () => {
    const report = await runVerify(inv, [n], { ...deps, concurrency: 1, checks: { only: ['service'] } });
    const service = report.nodes[0]?.checks.find((c) => c.id === 'service');
    assert.match(service?.message ?? '', /last log lines: "flanneld\[5\]: E1205 cannot log in with FLANNELD_ETCD_PASSWORD=<redacted>"/);
    assert.deepEqual(leaked(formatJson(report)), []);
    assert.deepEqual(leaked(formatJunit(report)), []);
  });

  test('facts: the sha256 of a file others may not read is shortened as verify prints it; a world-readable one is whole', () => {
    const sha = (c: string) => c.repeat(64);
    const f = facts({ provisioned: { files: [{ path: '/etc/kubernetes/token.csv', state: 'present', mode: 0o600, size: 10, sha256: sha('a') }, { path: '/etc/hostname', state: 'present', mode: 0o644, size: 10, sha256: sha('b') }, { path: '/etc/x', state: 'missing' }], units: [] } });
    const out = shortenSecretHashes(f);
    assert.deepEqual('ok' in out.provisioned && out.provisioned.ok.files.map((x) => ('sha256' in x ? x.sha256 : x.state)), ['aaaaaaaaaaaa…', sha('b'), 'missing']);
    assert.equal(JSON.stringify(out).includes(sha('a')), false);
  });
});
