// Configs import must refuse: each case gives one clear problem with its file and location, and
// no inventory. (The command test checks exit 2 and that nothing is written.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { importConfigs } from '../../../src/import/import.js';
import type { ConfigText } from '../../../src/import/import.js';
import type { Role } from '../../../src/inventory/types.js';
import { formatProblem } from '../../../src/import/problem.js';
import { guideClc, ign, NETWORK } from '../../fixtures/import/configs.js';

interface Case {
  name: string;
  configs: ConfigText[];
  roles?: [string, Role[]][];
  hosts?: [string, string][];
  // file:line:column: at: — the start of the formatted problem; and its message
  where: string;
  message: RegExp;
}

const worker = (name: string, address: string, extra: Partial<Parameters<typeof ign>[0]> = {}): ConfigText => ({ path: `${name}.ign`, text: ign({ hostname: name, network: NETWORK(address), ...extra }) });
const etcdDropin = (name: string, cluster: string, address: string) => ({
  name: 'etcd-member.service',
  enabled: true,
  dropins: [{ name: '20-clct-etcd-member.conf', contents: `[Service]\nEnvironment="ETCD_NAME=${name}"\nEnvironment="ETCD_INITIAL_ADVERTISE_PEER_URLS=http://${address}:2380"\nEnvironment="ETCD_ADVERTISE_CLIENT_URLS=http://${address}:2379"\nEnvironment="ETCD_INITIAL_CLUSTER=${cluster}"\n` }],
});
const flannelWrite = (network: string, env = '') => ({
  name: 'flanneld.service',
  enabled: true,
  dropins: [{ name: '50-network-config.conf', contents: `[Service]\n${env}ExecStartPre=/usr/bin/etcdctl set /coreos.com/network/config '{"Network": "${network}"}'\n` }],
});

const CASES: Case[] = [
  { name: 'invalid YAML', configs: [{ path: 'a.yaml', text: 'passwd:\n  users:\n    - name: core\n      ssh_authorized_keys: [a\n' }], where: 'a.yaml:5:1: ', message: /not valid YAML/ },
  { name: 'invalid JSON', configs: [{ path: 'a.ign', text: '{\n  "ignition": { "version": "3.3.0" },\n  "storage": { "files": [ } ]\n}\n' }], where: 'a.ign:3:27: ', message: /not valid JSON \(at byte \d+\): expected a value/ },
  { name: 'JSON with a trailing comma', configs: [{ path: 'a.json', text: '{"ignition": {"version": "3.3.0",}}' }], where: 'a.json:1:34: ', message: /expected a "key"/ },
  { name: 'valid JSON, but a list', configs: [{ path: 'a.json', text: '[1, 2]' }], where: 'a.json:1:1: /: ', message: /valid JSON, but a list, not an Ignition config/ },
  { name: 'valid JSON, no ignition.version', configs: [{ path: 'a.json', text: '{"hello": 1}' }], where: 'a.json:1:1: /: ', message: /no ignition\.version \(its keys: hello\)/ },
  { name: 'valid YAML, but a list', configs: [{ path: 'a.yaml', text: '- one\n- two\n' }], where: 'a.yaml:1:1: ', message: /valid YAML, but a list, not a Container Linux Config/ },
  { name: 'valid YAML, none of a CLC\'s keys', configs: [{ path: 'a.yaml', text: 'nodes:\n  - name: x\n' }], where: 'a.yaml:1:1: ', message: /not a Container Linux Config: none of its keys .* found nodes/ },
  { name: 'a Butane config of another variant', configs: [{ path: 'a.bu', text: 'variant: fcos\nversion: 1.4.0\n' }], where: 'a.bu:1:10: variant: ', message: /Butane variant "fcos" is not supported: import reads Butane variant flatcar, versions 1\.0\.0 and 1\.1\.0; transpile it with `butane --pretty --strict`/ },
  { name: 'unknown Ignition version', configs: [{ path: 'a.ign', text: '{\n  "ignition": {\n    "version": "4.0.0"\n  }\n}\n' }], where: 'a.ign:3:16: /ignition/version: ', message: /unknown Ignition version "4\.0\.0": import reads 2\.0\.0–2\.3\.0 .* 3\.0\.0–3\.5\.0/ },
  { name: 'Ignition without a version', configs: [{ path: 'a.ign', text: '{"ignition": {}}' }], where: 'a.ign:1:14: /ignition: ', message: /needs ignition\.version/ },
  {
    name: 'a data URL that does not decode',
    configs: [{ path: 'n1.ign', text: ign().replace('"data:,n1%0A"', '"data:,n1%ZZ"') }],
    where: 'n1.ign:21:21: /storage/files/0/contents/source: ',
    message: /\/etc\/hostname: the data URL does not decode: a % is not followed by two hex digits/,
  },
  {
    name: 'a base64 data URL that is not base64',
    configs: [{ path: 'n1.ign', text: ign().replace('"data:,n1%0A"', '"data:;base64,@@@"') }],
    where: 'n1.ign:21:21: /storage/files/0/contents/source: ',
    message: /says base64, but its data is not base64/,
  },
  { name: 'the guide\'s networkd snippet as printed (block left empty)', configs: [{ path: 'guide.yaml', text: guideClc({ verbatim: true }) }], where: 'guide.yaml:17:7: ', message: /the block after `contents: \|` is empty: its lines \(18–29\) are not indented more than `contents:`/ },
  { name: 'a networkd unit with empty contents', configs: [{ path: 'n.yaml', text: 'networkd:\n  units:\n    - name: 10-static.network\n      contents: ""\n' }], where: 'n.yaml:3:7: networkd.units[0]: ', message: /10-static\.network is empty/ },
  { name: 'a key given twice', configs: [{ path: 'a.yaml', text: 'passwd: {}\nstorage: {}\npasswd: {}\n' }], where: 'a.yaml:3:1: ', message: /a key given twice/ },
  { name: 'storage.files is not a list', configs: [{ path: 'a.yaml', text: 'storage:\n  files:\n    path: /etc/hostname\n' }], where: 'a.yaml:3:5: storage.files: ', message: /expected a list, found a mapping/ },
  { name: 'an empty file', configs: [{ path: 'a.yaml', text: '\n' }], where: 'a.yaml: ', message: /the file is empty/ },
  { name: 'Address= without a prefix', configs: [worker('w1', '198.18.1.21')], roles: [['w1', ['worker']]], where: 'w1.ign:24:7: /storage/files/1: ', message: /Address=198\.18\.1\.21 has no prefix length/ },
  { name: 'two nodes, one address', configs: [worker('w1', '198.18.1.21/24'), worker('w2', '198.18.1.21/24')], roles: [['w1', ['worker']], ['w2', ['worker']]], where: 'w2.ign:24:7: /storage/files/1: ', message: /address 198\.18\.1\.21 is also w1's \(w1\.ign\)/ },
  {
    name: 'an initial-cluster member no file defines',
    configs: [worker('e1', '198.18.1.11/24', { units: [etcdDropin('e1', 'e1=http://198.18.1.11:2380,e2=http://198.18.1.12:2380', '198.18.1.11')] })],
    where: 'e1.ign:35:7: /systemd/units/0: ',
    message: /names member e2 \(http:\/\/198\.18\.1\.12:2380\), which no imported file defines/,
  },
  {
    name: 'two flannel Networks',
    configs: [worker('w1', '198.18.1.21/24', { units: [flannelWrite('10.1.0.0/16')] }), worker('w2', '198.18.1.22/24', { units: [flannelWrite('10.2.0.0/16')] })],
    roles: [['w1', ['worker']], ['w2', ['worker']]],
    where: 'w2.ign:35:7: /systemd/units/0: ',
    message: /the flannel Network is 10\.2\.0\.0\/16 here, but 10\.1\.0\.0\/16 in w1\.ign/,
  },
  {
    name: 'a config key flanneld does not read (FLANNELD_ETCD_PREFIX)',
    configs: [worker('w1', '198.18.1.21/24', { units: [flannelWrite('10.1.0.0/16', 'Environment="FLANNELD_ETCD_PREFIX=/lab/network"\n')] })],
    roles: [['w1', ['worker']]],
    where: 'w1.ign:35:7: /systemd/units/0: ',
    message: /50-network-config\.conf writes \/coreos\.com\/network\/config, but flanneld reads \/lab\/network\/config/,
  },
  {
    name: 'a flannel config flannel cannot use',
    configs: [worker('w1', '198.18.1.21/24', { units: [flannelWrite('10.1.2.3/16')] })],
    roles: [['w1', ['worker']]],
    where: 'w1.ign:35:7: /systemd/units/0: ',
    message: /which flannel cannot use: .*host bits/,
  },
  { name: 'a node without a role', configs: [worker('w1', '198.18.1.21/24')], where: 'w1.ign: ', message: /w1 runs no etcd member and has no role: give it one with --role worker=w1/ },
  { name: 'a node without a static address', configs: [{ path: 'w1.ign', text: ign({ hostname: 'w1', network: '[Match]\nName=eth0\n\n[Network]\nDHCP=yes\n' }) }], roles: [['w1', ['worker']]], where: 'w1.ign: ', message: /no static address in its config to SSH to: give one with --host w1=ADDRESS/ },
  { name: '--role names no imported node', configs: [worker('w1', '198.18.1.21/24')], roles: [['w1', ['worker']], ['w9', ['master']]], where: '--role: ', message: /--role names w9, which is none of the imported nodes \(w1\)/ },
  {
    name: 'the imported inventory fails lint (flannel Network over a node address)',
    configs: [worker('w1', '198.18.1.21/24', { units: [flannelWrite('198.18.0.0/15')] })],
    roles: [['w1', ['worker']]],
    where: 'w1.ign: ',
    message: /would not pass `clusterctl lint`: nodes\[0\]\.network\.address: address 198\.18\.1\.21\/24 .* overlaps the flannel Network 198\.18\.0\.0\/15/,
  },
];

describe('import refuses bad configs, each problem with its file and location', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const r = importConfigs(c.configs, { roles: new Map(c.roles ?? []), hosts: new Map(c.hosts ?? []) });
      assert.equal(r.ok, false, 'an inventory came out');
      if (r.ok) return;
      const lines = r.problems.map(formatProblem);
      const hit = lines.find((l) => l.startsWith(c.where) && c.message.test(l));
      assert.ok(hit, `no problem at ${c.where} matching ${c.message}; got:\n${lines.join('\n')}`);
    });
  }
  test('at least a dozen cases', () => assert.ok(CASES.length >= 12));
});

describe('import never throws on what a file may hold', () => {
  test('any text, any JSON, any YAML-ish mapping: a result, with problems located in the file', () => {
    const anyConfig = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify({ ignition: { version: '3.3.0' }, storage: { files: [{ path: '/etc/hostname', contents: v }] }, systemd: { units: [v] } })),
      fc.jsonValue().map((v) => JSON.stringify({ ignition: { version: '2.3.0' }, networkd: { units: [{ name: 'a.network', contents: v }] }, passwd: v })),
      fc.record({ k: fc.constantFrom('passwd', 'storage', 'networkd', 'systemd', 'etcd', 'flannel'), v: fc.jsonValue() }).map(({ k, v }) => `${k}: ${JSON.stringify(v)}\n`),
    );
    fc.assert(
      fc.property(anyConfig, fc.constantFrom('n.ign', 'n.yaml', 'n.json'), (text, path) => {
        const r = importConfigs([{ path, text }], { roles: new Map([['n', ['worker']]]), hosts: new Map([['n', '198.18.1.9']]) });
        if (!r.ok) for (const p of r.problems) assert.ok(p.file === path || p.file === 'imported-inventory.yaml', formatProblem(p));
      }),
      { numRuns: 400 },
    );
  });
});
