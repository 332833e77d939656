import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadInventory } from '../../../src/inventory/load.js';
import { renderNode, RenderValidationError } from '../../../src/render/render.js';
import type { RenderFormat } from '../../../src/render/render.js';
import { readClc } from '../../../src/render/clc.js';
import { inventoryOf, THREE_ETCD } from '../../fixtures/render/inventories.js';
import { ignitionValidate } from '../../helpers/ignition-validate.js';
import { goldenRenderTests } from '../../helpers/render-golden.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FORMATS: RenderFormat[] = ['ignition', 'butane', 'clc'];

// Golden files: what render writes for inventory.example.yaml (UPDATE_GOLDEN=1 regenerates them).
describe('golden: inventory.example.yaml', async () => {
  goldenRenderTests(await loadInventory(`${ROOT}inventory.example.yaml`, { home: '/home/tester' }), `${ROOT}test/fixtures/render/example/`);
});

describe('determinism', () => {
  test('the same inventory, loaded twice, renders byte-identical files in both formats', () => {
    const a = inventoryOf(THREE_ETCD);
    const b = inventoryOf(THREE_ETCD);
    for (const format of FORMATS) {
      for (const [i, node] of a.nodes.entries()) {
        assert.equal(renderNode(node, a, format, new Map()).text, renderNode(b.nodes[i] ?? assert.fail(), b, format, new Map()).text);
      }
    }
  });
  test('key order does not depend on the order keys were written in the inventory', () => {
    const reordered = THREE_ETCD.replace('    host: 198.18.1.11\n    roles: [etcd, master]\n', '    roles: [etcd, master]\n    host: 198.18.1.11\n');
    assert.notEqual(reordered, THREE_ETCD);
    const [a, b] = [inventoryOf(THREE_ETCD), inventoryOf(reordered)];
    assert.equal(renderNode(a.nodes[0] ?? assert.fail(), a, 'ignition', new Map()).text, renderNode(b.nodes[0] ?? assert.fail(), b, 'ignition', new Map()).text);
  });
  test('every file ends in exactly one newline', () => {
    const inv = inventoryOf(THREE_ETCD);
    for (const format of FORMATS) for (const n of inv.nodes) assert.match(renderNode(n, inv, format, new Map()).text, /[^\n]\n$/);
  });
});

describe('inventory values are inert data', () => {
  // Values that would run a command, end a line or close a quote if they were pasted in raw.
  const EVIL_FILE = '/etc/ssl/"ca\n$(touch /tmp/clusterctl-pwned)`id`%n.pem';
  const EVIL_NAME = 'm"$(reboot)%H\\x';
  const EVIL_KEY = 'ssh-ed25519 AAAA "quoted" $(id) `id` comment';
  const text = THREE_ETCD.replace('    caFile: /etc/ssl/etcd/ca.pem', `    caFile: ${JSON.stringify(EVIL_FILE)}`)
    .replace('name: app-etcd-1', `name: ${JSON.stringify(EVIL_NAME)}`)
    .replace('"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixtureKeyOne000000000000000000000000000000 one@test"', JSON.stringify(EVIL_KEY));
  const inv = inventoryOf(text);
  const e1 = inv.nodes[0] ?? assert.fail();

  // systemd's reading of one Environment="NAME=value" line: C escapes, then %% → %.
  const envValue = (contents: string, name: string): string => {
    const line = contents.split('\n').find((l) => l.startsWith(`Environment="${name}=`)) ?? assert.fail(`${name} missing in\n${contents}`);
    const body = line.slice('Environment="'.length, -1);
    assert.doesNotMatch(body.replace(/\\./g, ''), /"/, 'an unescaped quote would end the word');
    const unescaped = body.replace(/\\(x[0-9a-f]{2}|.)/g, (_, e: string) => (e.startsWith('x') ? String.fromCharCode(parseInt(e.slice(1), 16)) : ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e));
    return unescaped.replace(/%%/g, '%').slice(name.length + 1);
  };

  test('Ignition: JSON-escaped, and systemd-escaped inside the drop-ins, reading back exactly', () => {
    const ign = JSON.parse(renderNode(e1, inv, 'ignition', new Map()).text) as {
      passwd: { users: { sshAuthorizedKeys: string[] }[] };
      systemd: { units: { name: string; dropins?: { name: string; contents: string }[] }[] };
    };
    assert.deepEqual(ign.passwd.users[0]?.sshAuthorizedKeys, [EVIL_KEY]);
    const dropin = (unit: string, name: string) => ign.systemd.units.find((u) => u.name === unit)?.dropins?.find((d) => d.name === name)?.contents ?? assert.fail(`${unit}/${name}`);
    const etcd = dropin('etcd-member.service', '20-clct-etcd-member.conf');
    assert.equal(envValue(etcd, 'ETCD_NAME'), EVIL_NAME);
    assert.ok(envValue(etcd, 'ETCD_INITIAL_CLUSTER').startsWith(`${EVIL_NAME}=http://198.18.1.11:2380,`));
    const flannel = dropin('flanneld.service', '20-clct-flannel.conf');
    assert.equal(envValue(flannel, 'FLANNELD_ETCD_CAFILE'), EVIL_FILE);
    // Every drop-in has exactly the lines it should: nothing was split by a newline.
    assert.equal(etcd.split('\n').length, 1 + 9 + 1);
    assert.equal(flannel.split('\n').length, 1 + 4 + 1);
    // The config drop-in's command line: the file is one quoted word with $ and % doubled.
    const pre = dropin('flanneld.service', '50-network-config.conf');
    assert.equal(pre.split('\n').length, 3);
    assert.ok(pre.includes('"--ca-file=/etc/ssl/\\"ca\\n$$(touch /tmp/clusterctl-pwned)`id`%%n.pem"'), pre);
  });
  test('Ignition: the real ignition-validate parses every unit of it', async () => {
    assert.deepEqual(await ignitionValidate(renderNode(e1, inv, 'ignition', new Map()).text), { code: 0, output: '' });
  });
  test('CLC: YAML-quoted, reading back as exactly the value', () => {
    const clc = readClc(renderNode(e1, inv, 'clc', new Map()).text) as { etcd: { name: string }; flannel: { etcd_cafile: string }; passwd: { users: { ssh_authorized_keys: string[] }[] } };
    assert.equal(clc.etcd.name, EVIL_NAME);
    assert.equal(clc.flannel.etcd_cafile, EVIL_FILE);
    assert.deepEqual(clc.passwd.users[0]?.ssh_authorized_keys, [EVIL_KEY]);
  });
  test('a config that fails its own validation is an internal error, never written', () => {
    // An unknown role unit name slips past the inventory (a word) but not the Ignition schema.
    const bad = inventoryOf(THREE_ETCD.replace('master: [kubelet.service]', 'master: [kubelet]'));
    assert.throws(() => renderNode(bad.nodes[0] ?? assert.fail(), bad, 'ignition', new Map()), RenderValidationError);
  });
});
