import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { prefixMismatches } from '../../../src/flannel/prefix.js';

const unit = (...lines: [string, string][]) => [{ path: '/etc/systemd/system/flanneld.service.d/x.conf', entries: lines.map(([key, value]) => ({ section: 'Service', key, value })) }];

describe('prefixMismatches', () => {
  test('--etcd-prefix on ExecStart wins over FLANNELD_ETCD_PREFIX, as in flanneld', () => {
    const files = unit(['Environment', 'FLANNELD_ETCD_PREFIX=/coreos.com/network'], ['ExecStart', '/usr/bin/flanneld --etcd-prefix=/lab/net']);
    assert.deepEqual(prefixMismatches('/coreos.com/network/config', [{ node: 'n1', files }]), ['n1: flanneld reads /lab/net/config (--etcd-prefix on the ExecStart line of /etc/systemd/system/flanneld.service.d/x.conf)']);
    assert.deepEqual(prefixMismatches('/lab/net/config', [{ node: 'n1', files }]), []);
  });
  test('no prefix set: the default key is read, so another configKey does not match', () => {
    assert.deepEqual(prefixMismatches('/coreos.com/network/config', [{ node: 'n1', files: unit() }]), []);
    assert.match(prefixMismatches('/lab/net/config', [{ node: 'n1', files: unit() }])[0] ?? '', /^n1: flanneld reads \/coreos\.com\/network\/config \(no FLANNELD_ETCD_PREFIX or --etcd-prefix/);
  });
});
