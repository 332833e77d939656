import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cniConfigFiles, parseCniConfig } from '../../../src/kube/cni.js';

// flannel's own kube-flannel.yml cni-conf.json, as its install-cni step writes it.
const FLANNEL = JSON.stringify({ name: 'cbr0', cniVersion: '0.3.1', plugins: [{ type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } }, { type: 'portmap', capabilities: { portMappings: true } }] }, null, 2);

describe('the CNI config the runtime uses', () => {
  test('the first of *.conf, *.conflist, *.json in lexical order; the others are ignored', () => {
    assert.deepEqual(cniConfigFiles('99-loopback.conf\nREADME\n10-flannel.conflist\n87-podman.conflist\n.keep\n'), ['10-flannel.conflist', '87-podman.conflist', '99-loopback.conf']);
    assert.deepEqual(parseCniConfig('87-podman.conflist\n10-flannel.conflist\n', FLANNEL), {
      ok: { file: '/etc/cni/net.d/10-flannel.conflist', name: 'cbr0', types: ['flannel', 'portmap'], others: ['/etc/cni/net.d/87-podman.conflist'] },
    });
  });
  test('a single-plugin .conf has its own type', () => {
    assert.deepEqual(parseCniConfig('10-bridge.conf\n', '{"cniVersion":"0.4.0","name":"mynet","type":"bridge","bridge":"cni0"}'), {
      ok: { file: '/etc/cni/net.d/10-bridge.conf', name: 'mynet', types: ['bridge'], others: [] },
    });
  });
  test('no directory, no config, unreadable, not JSON, no name', () => {
    assert.deepEqual(parseCniConfig(null, null), { absent: '/etc/cni/net.d does not exist' });
    assert.deepEqual(parseCniConfig('README\n', null), { absent: '/etc/cni/net.d holds no *.conf, *.conflist or *.json file' });
    assert.deepEqual(parseCniConfig('10-flannel.conflist\n', null), { error: '/etc/cni/net.d/10-flannel.conflist could not be read' });
    const broken = parseCniConfig('10-flannel.conflist\n', '{"name":');
    assert.ok('error' in broken);
    assert.match(broken.error, /^\/etc\/cni\/net.d\/10-flannel.conflist is not valid JSON \(.+\): the runtime cannot load it$/);
    assert.deepEqual(parseCniConfig('10-x.conflist\n', '{"plugins":[{"type":"flannel"}]}'), { error: '/etc/cni/net.d/10-x.conflist has no "name": the runtime cannot load it' });
    assert.deepEqual(parseCniConfig('10-x.conflist\n', '{"name":"x","plugins":[]}'), { error: '/etc/cni/net.d/10-x.conflist has no plugin "type": the runtime cannot load it' });
  });
});
