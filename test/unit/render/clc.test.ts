import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { clcConfig, clcText, readClc } from '../../../src/render/clc.js';
import { clcProblems } from '../../../src/render/clc-schema.js';
import { nodeConfig } from '../../../src/render/node.js';
import { inventoryOf, THREE_ETCD } from '../../fixtures/render/inventories.js';

const inv = inventoryOf(THREE_ETCD);
const configOf = (name: string) => clcConfig(nodeConfig(inv.nodes.find((n) => n.name === name) ?? assert.fail(name), inv, new Map()));

describe('Container Linux Config', () => {
  test('the setup guide\'s sections: passwd, storage (filesystem root, mode 0644, inline), networkd, etcd, flannel', () => {
    const text = clcText(configOf('e1'));
    assert.match(text, /^passwd:\n  users:\n    - name: core\n      ssh_authorized_keys:\n        - ssh-ed25519 /);
    assert.match(text, /\nstorage:\n  files:\n    - filesystem: root\n      path: \/etc\/hostname\n      mode: 0644\n      contents:\n        inline: \|\n          e1\n/);
    assert.match(text, /\nnetworkd:\n  units:\n    - name: 10-static.network\n      contents: \|\n        \[Match\]\n        Name=host0\n/);
    assert.match(text, /\netcd:\n  name: app-etcd-1\n  listen_client_urls: http:\/\/198\.18\.1\.11:2379,http:\/\/127\.0\.0\.1:2379\n/);
    assert.match(text, /\n  initial_cluster_state: new\n/);
    assert.match(text, /\nflannel:\n  etcd_endpoints: http:\/\/198\.18\.1\.11:2379,http:\/\/198\.18\.1\.12:2379\n  etcd_cafile: \/etc\/ssl\/etcd\/ca\.pem\n/);
  });
  test('ct enables etcd-member and flanneld from their sections: systemd.units names them only for an extra drop-in', () => {
    assert.deepEqual(configOf('e1').systemd?.units.map((u) => [u.name, 'enabled' in u ? u.enabled : '-', (u.dropins ?? []).map((d) => d.name)]), [
      ['flanneld.service', '-', ['50-network-config.conf']],
      ['kubelet.service', true, []],
    ]);
    const plain = inventoryOf(THREE_ETCD.replace('    configDropin: true\n', ''));
    const e2 = clcConfig(nodeConfig(plain.nodes[1] ?? assert.fail(), plain, new Map()));
    assert.equal(e2.systemd, undefined);
  });
  test('read back as ct reads it (YAML 1.1), the text is exactly the config, and valid', () => {
    for (const name of ['e1', 'e2', 'e3', 'w1']) {
      const config = configOf(name);
      const back = readClc(clcText(config));
      assert.deepEqual(back, config);
      assert.deepEqual(clcProblems(back), []);
    }
  });
  test('the mode is octal for go-yaml v2 (YAML 1.2 would read 0644 as 644)', () => {
    const text = clcText(configOf('e1'));
    assert.equal((readClc(text) as { storage: { files: { mode: number }[] } }).storage.files[0]?.mode, 420);
    assert.equal((parse(text, { version: '1.2' }) as { storage: { files: { mode: number }[] } }).storage.files[0]?.mode, 644);
  });
  test('words YAML 1.1 would read as booleans are quoted', () => {
    const config = configOf('e2');
    const text = clcText({ ...config, etcd: { ...(config.etcd ?? assert.fail()), name: 'yes' } });
    assert.match(text, /\n  name: "yes"\n/);
    assert.equal((readClc(text) as { etcd: { name: unknown } }).etcd.name, 'yes');
  });
  test('the schema refuses keys ct does not know', () => {
    assert.match(clcProblems({ etcd: { ...configOf('e1').etcd, enable_v3: true } }).join('\n'), /enable_v3/);
    assert.match(clcProblems({ storage: { files: [{ filesystem: 'root', path: 'etc/x', mode: 420, contents: { inline: '' } }] } }).join('\n'), /absolute/);
  });
});
