import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseEnvironmentFile, parseSystemctlCat, parseUnitWithEnvironment } from '../../../../src/facts/parse/systemd-unit.js';
import { parseFlannelVersion, readFlanneldUnit, unitEtcdEndpoints, unitEtcdPrefix, unitFlannelVersion } from '../../../../src/facts/parse/flanneld-unit.js';

function unit(name: string) {
  const p = parseSystemctlCat(readFileSync(new URL(`../../../fixtures/flannel/${name}`, import.meta.url), 'utf8'));
  assert.ok(p.ok);
  return readFlanneldUnit(p.value);
}

describe('flanneld.service with drop-ins', () => {
  test('Container Linux + the setup guide drop-in: flannel v0.11.0 from FLANNEL_IMAGE_TAG; no endpoints named', () => {
    const u = unit('systemctl-cat-container-linux-guide.txt');
    assert.equal(u.env.FLANNEL_IMAGE_TAG, 'v0.11.0');
    assert.deepEqual(u.environmentFiles, ['/run/flannel/options.env']);
    assert.deepEqual(u.execStart?.argv, ['/usr/lib/coreos/flannel-wrapper', '--ip-masq=true']);
    assert.deepEqual(u.execStartPre.map((l) => [l.file.split('/').pop(), l.argv[0], l.ignoreFailure]), [
      ['flanneld.service', '/sbin/modprobe', false],
      ['flanneld.service', '/usr/bin/mkdir', false],
      ['flanneld.service', '/usr/bin/rkt', true],
      ['50-network-config.conf', '/usr/bin/etcdctl', false],
    ]);
    const v = unitFlannelVersion(u);
    assert.deepEqual([v?.version, v?.major, v?.minor, v?.evidence], ['v0.11.0', 0, 11, 'FLANNEL_IMAGE_TAG=v0.11.0 in /usr/lib/systemd/system/flanneld.service']);
    assert.equal(unitEtcdEndpoints(u), undefined);
  });
  test('Flatcar + ct drop-in: ExecStart= resets, the drop-in tag wins, --etcd-endpoints and --etcd-prefix from the new ExecStart', () => {
    const u = unit('systemctl-cat-flatcar-clc.txt');
    assert.equal(unitFlannelVersion(u)?.evidence, 'FLANNEL_IMAGE_TAG=v0.14.0 in /etc/systemd/system/flanneld.service.d/20-clct-flannel.conf');
    assert.deepEqual(unitEtcdEndpoints(u), {
      endpoints: ['http://10.0.0.10:2379', 'http://10.0.0.11:2379'],
      from: '--etcd-endpoints on the ExecStart line of /etc/systemd/system/flanneld.service.d/20-clct-flannel.conf',
    });
    assert.equal(unitEtcdPrefix(u)?.value, '/coreos.com/network');
  });
  test('hand-installed 0.22: version from FLANNEL_IMAGE, endpoints and prefix from FLANNELD_* variables', () => {
    const u = unit('systemctl-cat-flannel-0.22.txt');
    assert.deepEqual([unitFlannelVersion(u)?.minor, unitFlannelVersion(u)?.evidence], [22, 'FLANNEL_IMAGE=docker.io/flannel/flannel:v0.22.3 in /etc/systemd/system/flanneld.service.d/10-version.conf']);
    assert.deepEqual(unitEtcdEndpoints(u), { endpoints: ['https://etcd.example.test:2379'], from: 'FLANNELD_ETCD_ENDPOINTS in /etc/systemd/system/flanneld.service' });
    assert.deepEqual(unitEtcdPrefix(u), { value: '/k8s/network', from: 'FLANNELD_ETCD_PREFIX in /etc/systemd/system/flanneld.service' });
  });
  test('a flag beats its FLANNELD_ variable; `--flag value` and `-flag=value` forms; Environment= resets', () => {
    const u = readFlanneldUnit([
      { path: '/etc/systemd/system/flanneld.service', entries: [
        { section: 'Service', key: 'Environment', value: 'FLANNELD_ETCD_ENDPOINTS=http://a:2379 FLANNEL_VER=v0.9.1' },
        { section: 'Service', key: 'ExecStart', value: '/opt/bin/flanneld --etcd-endpoints http://b:2379 -etcd-prefix=/p' },
      ] },
      { path: '/etc/systemd/system/flanneld.service.d/x.conf', entries: [{ section: 'Service', key: 'Environment', value: '' }, { section: 'Service', key: 'Environment', value: 'FLANNEL_IMAGE=quay.io/coreos/flannel:v0.10.0-amd64' }] },
    ]);
    assert.deepEqual(unitEtcdEndpoints(u)?.endpoints, ['http://b:2379']);
    assert.equal(unitEtcdPrefix(u)?.value, '/p');
    assert.deepEqual(Object.keys(u.env), ['FLANNEL_IMAGE']);
    assert.equal(unitFlannelVersion(u)?.version, 'v0.10.0-amd64');
  });
  test('versions: v-prefix, arch suffix, two parts; nonsense is no version', () => {
    assert.equal(parseFlannelVersion('0.14.0-arm64', 'x')?.minor, 14);
    assert.equal(parseFlannelVersion('v0.7', 'x')?.patch, 0);
    assert.equal(parseFlannelVersion('latest', 'x'), undefined);
  });
});

describe('environment files: what an EnvironmentFile= names, read from the node', () => {
  const guide = readFileSync(new URL('../../../fixtures/flannel/systemctl-cat-container-linux-guide.txt', import.meta.url), 'utf8');
  // The probe's flannel.unit section: the unit, "| " before each line, then each environment file.
  const section = (...envs: string[]) => [...guide.trimEnd().split('\n').map((l) => (l ? `| ${l}` : '|')), ...envs].join('\n');

  test("Container Linux's /run/flannel/options.env: the endpoints and prefix it sets, and where from; it wins over Environment=", () => {
    const body = section(
      'environment-file /run/flannel/options.env',
      '| # written by the setup guide',
      '| FLANNELD_ETCD_ENDPOINTS="http://10.0.0.10:2379,http://10.0.0.11:2379"',
      "| FLANNELD_ETCD_PREFIX='/coreos.com/network'",
      '| FLANNEL_IMAGE_TAG=v0.12.0',
    );
    const files = parseUnitWithEnvironment(body);
    assert.ok(files.ok);
    const u = readFlanneldUnit(files.value);
    assert.deepEqual(u.files, ['/usr/lib/systemd/system/flanneld.service', '/etc/systemd/system/flanneld.service.d/50-network-config.conf']);
    assert.deepEqual(unitEtcdEndpoints(u), { endpoints: ['http://10.0.0.10:2379', 'http://10.0.0.11:2379'], from: 'FLANNELD_ETCD_ENDPOINTS in /run/flannel/options.env' });
    assert.deepEqual(unitEtcdPrefix(u), { value: '/coreos.com/network', from: 'FLANNELD_ETCD_PREFIX in /run/flannel/options.env' });
    assert.equal(unitFlannelVersion(u)?.evidence, 'FLANNEL_IMAGE_TAG=v0.12.0 in /run/flannel/options.env');
    assert.deepEqual(u.unreadEnvironmentFiles, []);
  });

  test('a missing file sets nothing and is said unread; so is one the probe did not read (kube units, import)', () => {
    const missing = parseUnitWithEnvironment(section('environment-file-missing /run/flannel/options.env'));
    assert.ok(missing.ok);
    const u = readFlanneldUnit(missing.value);
    assert.equal(unitEtcdEndpoints(u), undefined);
    assert.deepEqual(u.unreadEnvironmentFiles, ['/run/flannel/options.env']);
    const plain = parseSystemctlCat(guide);
    assert.ok(plain.ok);
    assert.deepEqual(readFlanneldUnit(plain.value).unreadEnvironmentFiles, ['/run/flannel/options.env']);
  });

  test('a file the unit does not name is not applied; lines without "| " before an environment file are the unit\'s', () => {
    const files = parseUnitWithEnvironment(section('environment-file /etc/other.env', '| FLANNELD_ETCD_ENDPOINTS=http://10.9.9.9:2379'));
    assert.ok(files.ok);
    assert.equal(unitEtcdEndpoints(readFlanneldUnit(files.value)), undefined);
  });

  test("systemd's format: comments, quotes, escapes, continuation lines, names it ignores", () => {
    assert.deepEqual(
      parseEnvironmentFile(['# c', '; c', '', '  A = 1 ', 'B="two words \\"q\\" \\\\"', "C='single $x'", 'D=a\\', 'b', '1BAD=x', '=x', 'no equals', 'E='].join('\n')),
      { A: '1', B: 'two words "q" \\', C: 'single $x', D: 'ab', E: '' },
    );
  });
});
