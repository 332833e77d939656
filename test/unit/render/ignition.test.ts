import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDataUrl } from '../../../src/render/data-url.js';
import { ignitionConfig, ignitionText } from '../../../src/render/ignition.js';
import { ignitionProblems } from '../../../src/render/ignition-schema.js';
import { nodeConfig } from '../../../src/render/node.js';
import { inventoryOf, THREE_ETCD } from '../../fixtures/render/inventories.js';
import { ignitionValidate } from '../../helpers/ignition-validate.js';

const inv = inventoryOf(THREE_ETCD);
const configOf = (name: string) => ignitionConfig(nodeConfig(inv.nodes.find((n) => n.name === name) ?? assert.fail(name), inv, new Map()));

type Unit = { name: string; enabled?: boolean; dropins?: { name: string; contents: string }[] };
const units = (name: string): Unit[] => configOf(name).systemd?.units ?? [];
const file = (name: string, path: string) => {
  const f = configOf(name).storage?.files.find((x) => x.path === path) ?? assert.fail(`${path} missing`);
  return { mode: f.mode, overwrite: f.overwrite, text: decodeDataUrl(f.contents.source) };
};

describe('Ignition 3.3.0', () => {
  test('version, the login user and its keys', () => {
    const c = configOf('w1');
    assert.deepEqual(c.ignition, { version: '3.3.0' });
    assert.deepEqual(c.passwd, { users: [{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixtureKeyTwo000000000000000000000000000000 two@test'] }] });
  });
  test('/etc/hostname and the .network unit are files (spec 3 has no networkd section), 0644, overwriting the image\'s', () => {
    assert.deepEqual(file('e1', '/etc/hostname'), { mode: 0o644, overwrite: true, text: 'e1\n' });
    const net = file('e1', '/etc/systemd/network/10-static.network');
    assert.equal(net.mode, 0o644);
    assert.match(net.text ?? '', /^\[Match\]\nName=host0\n\n\[Network\]\nAddress=198\.18\.1\.11\/24\n/);
  });
  test('a node without a network section gets no .network file', () => {
    assert.deepEqual(configOf('e3').storage?.files.map((f) => f.path), ['/etc/hostname']);
  });
  test('units enabled, with ct\'s drop-in names: etcd first, then flannel, then the guide\'s config drop-in, then role units', () => {
    assert.deepEqual(
      units('e1').map((u) => [u.name, u.enabled, (u.dropins ?? []).map((d) => d.name)]),
      [
        ['etcd-member.service', true, ['20-clct-etcd-member.conf']],
        ['flanneld.service', true, ['20-clct-flannel.conf', '50-network-config.conf']],
        ['kubelet.service', true, []],
      ],
    );
    assert.deepEqual(units('w1').map((u) => u.name), ['flanneld.service']);
  });
  test('the schema refuses what the spec does not allow', () => {
    assert.deepEqual(ignitionProblems(configOf('e1')), []);
    const bad = JSON.parse(ignitionText(configOf('e1'))) as Record<string, unknown> & { storage: { files: { path: string }[] } };
    bad.storage.files[0]!.path = 'etc/hostname';
    assert.match(ignitionProblems(bad).join('\n'), /storage\.files\.0\.path: path must be absolute/);
    assert.match(ignitionProblems({ ...bad, extra: 1 }).join('\n'), /extra/);
    assert.match(ignitionProblems({ ignition: { version: '3.4.0' } }).join('\n'), /ignition\.version/);
  });
  test('text: pretty JSON with a final newline, stable across runs', () => {
    const text = ignitionText(configOf('e2'));
    assert.ok(text.endsWith('}\n'));
    assert.equal(text, ignitionText(configOf('e2')));
  });
  for (const name of ['e1', 'e2', 'e3', 'w1']) {
    test(`the real ignition-validate accepts ${name}'s config`, async () => {
      const r = await ignitionValidate(ignitionText(configOf(name)));
      assert.deepEqual(r, { code: 0, output: '' });
    });
  }
  test('and the real ignition-validate refuses a broken one (the check can fail)', async () => {
    const r = await ignitionValidate(ignitionText(configOf('e1')).replace('"[Service]\\n', '"[Service\\n'));
    assert.equal(r.code, 1);
    assert.match(r.output, /dropins\.0\.contents/);
  });
});
