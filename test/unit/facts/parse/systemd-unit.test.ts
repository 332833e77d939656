import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { expandWords, orderUnitFiles, parseSystemctlCat, splitWords } from '../../../../src/facts/parse/systemd-unit.js';
import type { Parsed } from '../../../../src/facts/parse/common.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/flannel/${name}`, import.meta.url), 'utf8');
function value<T>(p: Parsed<T>): T {
  assert.ok(p.ok, p.ok ? '' : p.error);
  return p.value;
}

describe('systemctl cat', () => {
  test('Container Linux unit with the setup guide drop-in: two files, their Service entries in order', () => {
    const files = value(parseSystemctlCat(fixture('systemctl-cat-container-linux-guide.txt')));
    assert.deepEqual(files.map((f) => f.path), ['/usr/lib/systemd/system/flanneld.service', '/etc/systemd/system/flanneld.service.d/50-network-config.conf']);
    assert.deepEqual(files[1]?.entries, [
      { section: 'Service', key: 'ExecStartPre', value: `/usr/bin/etcdctl set /coreos.com/network/config '{"Network": "10.1.0.0/16"}'` },
    ]);
    const env = files[0]?.entries.filter((e) => e.key === 'Environment').map((e) => e.value);
    assert.deepEqual(env, ['"FLANNEL_IMAGE_TAG=v0.11.0"', '"FLANNEL_OPTS=--ip-masq=true"', '"RKT_RUN_ARGS=--uuid-file-save=/var/lib/coreos/flannel-wrapper.uuid"']);
  });
  test('continuation lines (ct writes ExecStart over several) are joined with a space', () => {
    const files = value(parseSystemctlCat(fixture('systemctl-cat-flatcar-clc.txt')));
    const starts = files[1]?.entries.filter((e) => e.key === 'ExecStart').map((e) => e.value);
    assert.deepEqual(starts, ['', '/usr/lib/flatcar/flannel-wrapper $FLANNEL_OPTS --etcd-endpoints="http://10.0.0.10:2379,http://10.0.0.11:2379" --etcd-prefix="/coreos.com/network"']);
  });
  test('a comment inside a continued value is skipped; warnings before the first file are ignored', () => {
    const body = '# Warning: flanneld.service changed on disk\n# /etc/systemd/system/flanneld.service\n[Service]\nExecStart=/opt/bin/flanneld \\\n# a comment\n  --ip-masq\n';
    assert.deepEqual(value(parseSystemctlCat(body))[0]?.entries, [{ section: 'Service', key: 'ExecStart', value: '/opt/bin/flanneld --ip-masq' }]);
  });
  test('no file header (systemctl failed) is an error, not an empty unit', () => {
    const r = parseSystemctlCat(fixture('lab-systemctl-no-systemd.txt'));
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /no "# \/path" file header/);
    assert.equal(parseSystemctlCat('').ok, false);
  });
  test('the file fallback: main unit by precedence, drop-ins by name, /etc wins a name clash', () => {
    const f = (path: string) => ({ path, entries: [] });
    const ordered = orderUnitFiles([
      f('/usr/lib/systemd/system/flanneld.service.d/50-network-config.conf'),
      f('/etc/systemd/system/flanneld.service.d/50-network-config.conf'),
      f('/usr/lib/systemd/system/flanneld.service'),
      f('/etc/systemd/system/flanneld.service.d/20-clct-flannel.conf'),
      f('/etc/systemd/system/flanneld.service'),
      f('/run/systemd/system/flanneld.service.d/10-a.conf'),
    ]);
    assert.deepEqual(ordered.map((x) => x.path), [
      '/etc/systemd/system/flanneld.service',
      '/run/systemd/system/flanneld.service.d/10-a.conf',
      '/etc/systemd/system/flanneld.service.d/20-clct-flannel.conf',
      '/etc/systemd/system/flanneld.service.d/50-network-config.conf',
    ]);
  });
  test('never throws on any text', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseSystemctlCat(`# /etc/systemd/system/x.service\n${s}`)), { numRuns: 300 });
  });
});

describe('systemd words', () => {
  test('quotes and escapes as systemd unquotes them', () => {
    assert.deepEqual(splitWords(`/usr/bin/etcdctl set /k '{"Network": "10.1.0.0/16"}'`), ['/usr/bin/etcdctl', 'set', '/k', '{"Network": "10.1.0.0/16"}']);
    assert.deepEqual(splitWords(`set /k "{\\"Network\\": \\"10.2.0.0/16\\"}"`), ['set', '/k', '{"Network": "10.2.0.0/16"}']);
    assert.deepEqual(splitWords(`"A=1 2" B=3  ''`), ['A=1 2', 'B=3', '']);
    assert.deepEqual(splitWords('a\\ b c'), ['a b', 'c']);
    assert.deepEqual(splitWords('"unclosed quote'), ['unclosed quote']);
  });
  test('$VAR is split into words, ${VAR} replaced in place, unknown is empty', () => {
    const env = { FLANNEL_OPTS: '--ip-masq=true  --iface=eth0', TAG: 'v0.11.0' };
    assert.deepEqual(expandWords(['wrapper', '$FLANNEL_OPTS', 'img:${TAG}', '$NOPE', '${NOPE}x'], env), ['wrapper', '--ip-masq=true', '--iface=eth0', 'img:v0.11.0', 'x']);
  });
  test('splitWords never throws', () => {
    fc.assert(fc.property(fc.string(), (s) => void splitWords(s)), { numRuns: 300 });
  });
});
