import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkApiserver } from '../../../src/checks/kube-apiserver.js';
import { parseCurlAnswer } from '../../../src/kube/http-answer.js';
import { evidenceOf, expectOf, masterOf } from '../../fixtures/kube/builders.js';

const want = 'https://127.0.0.1:6443/livez and /readyz answer 200 ok';

describe('kube.apiserver', () => {
  test('masters only; a healthy apiserver on the inventory\'s etcd passes both', () => {
    assert.deepEqual(checkApiserver(expectOf(), evidenceOf()), []);
    assert.deepEqual(checkApiserver(masterOf(), evidenceOf()), [
      { id: 'kube.apiserver', status: 'pass', expected: want, actual: '/livez: 200 ok; /readyz: 200 ok', message: 'https://127.0.0.1:6443 is live and ready' },
      { id: 'kube.apiserver', status: 'pass', expected: '--etcd-servers http://198.18.0.11:2379 (cluster.etcd.endpoints)', actual: '--etcd-servers http://198.18.0.11:2379', message: "kube-apiserver uses the inventory's etcd (/proc/640/cmdline)" },
    ]);
  });

  test('apiserver stopped: refused on both, and no process: both results fail, naming the node', () => {
    const [h, etcd] = checkApiserver(masterOf(), evidenceOf({ livez: { ok: parseCurlAnswer('\n000', 7) }, readyz: { ok: parseCurlAnswer('\n000', 7) }, apiserver: { absent: 'no kube-apiserver process, and no kube-apiserver.service' } }));
    assert.deepEqual(h, {
      id: 'kube.apiserver',
      status: 'fail',
      expected: want,
      actual: '/livez: connection refused; /readyz: connection refused',
      message: "nothing listens at https://127.0.0.1:6443 on m1: kube-apiserver is not running (see `journalctl -u kube-apiserver`, or the kubelet's log for a static pod)",
    });
    assert.equal(etcd?.status, 'fail');
    assert.equal(etcd?.message, 'no kube-apiserver on m1: no kube-apiserver process, and no kube-apiserver.service');
  });

  test('401/403: reachable but unauthorized, a warning that says so', () => {
    const [h] = checkApiserver(masterOf(), evidenceOf({ livez: { ok: { kind: 'http', status: 401, body: '{"kind":"Status"}' } }, readyz: { ok: { kind: 'http', status: 401, body: '' } } }));
    assert.equal(h?.status, 'pass');
    assert.equal(h?.message, 'warning: kube-apiserver on m1 is reachable at https://127.0.0.1:6443 but unauthorized, 401 Unauthorized: it refuses anonymous requests (--anonymous-auth=false), so its health could not be read');
    const [f] = checkApiserver(masterOf(), evidenceOf({ readyz: { ok: { kind: 'http', status: 403, body: '' } } }));
    assert.match(f?.message ?? '', /^warning: .* 403 Forbidden: anonymous users may not read health/);
  });

  test('live but not ready: the failed checks are named', () => {
    const [h] = checkApiserver(masterOf(), evidenceOf({ readyz: { ok: { kind: 'http', status: 500, body: '[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n' } } }));
    assert.equal(h?.status, 'fail');
    assert.equal(h?.message, 'kube-apiserver at https://127.0.0.1:6443 on m1 is not healthy: /livez: 200 ok; /readyz: 500 failed: etcd failed: reason withheld');
  });

  test('its --secure-port is where it is asked', () => {
    const [h] = checkApiserver(masterOf(), evidenceOf({ apiserver: { ok: { argv: ['kube-apiserver', '--secure-port=16443', '--etcd-servers=http://198.18.0.11:2379'], from: 'x' } } }));
    assert.equal(h?.expected, 'https://127.0.0.1:16443/livez and /readyz answer 200 ok');
  });

  test('other etcd servers than the inventory\'s: both sides named; order and a trailing slash do not matter', () => {
    const two = masterOf({ etcdEndpoints: ['http://198.18.0.11:2379', 'http://198.18.0.12:2379'] });
    const same = checkApiserver(two, evidenceOf({ apiserver: { ok: { argv: ['kube-apiserver', '--etcd-servers=http://198.18.0.12:2379/,http://198.18.0.11:2379'], from: 'u' } } }));
    assert.equal(same[1]?.status, 'pass');
    const [, etcd] = checkApiserver(masterOf(), evidenceOf({ apiserver: { ok: { argv: ['kube-apiserver', '--etcd-servers=http://127.0.0.1:2379'], from: 'the ExecStart of /etc/systemd/system/kube-apiserver.service' } } }));
    assert.deepEqual(etcd, {
      id: 'kube.apiserver',
      status: 'fail',
      expected: '--etcd-servers http://198.18.0.11:2379 (cluster.etcd.endpoints)',
      actual: '--etcd-servers http://127.0.0.1:2379',
      message: "kube-apiserver on m1 runs with --etcd-servers http://127.0.0.1:2379 (the ExecStart of /etc/systemd/system/kube-apiserver.service), not http://198.18.0.11:2379; also http://127.0.0.1:2379, which cluster.etcd.endpoints does not list: it keeps the cluster's state in another etcd than the inventory's",
    });
  });

  test('read from a unit with an EnvironmentFile: the message says what it cannot see', () => {
    const [, etcd] = checkApiserver(masterOf(), evidenceOf({ apiserver: { ok: { argv: ['kube-apiserver', '--etcd-servers=http://127.0.0.1:2379'], from: 'the ExecStart of /etc/systemd/system/kube-apiserver.service', hidden: ['/etc/kubernetes/apiserver.env'] } } }));
    assert.match(etcd?.message ?? '', /\(the ExecStart of \/etc\/systemd\/system\/kube-apiserver.service; variables from \/etc\/kubernetes\/apiserver.env are not seen here\)/);
  });

  test('evidence that could not be read is an error, not a verdict', () => {
    const r = checkApiserver(masterOf(), evidenceOf({ livez: { error: 'the batch timed out' }, apiserver: { error: '/proc/640/cmdline: permission denied' } }));
    assert.deepEqual(r.map((x) => [x.status, x.message]), [
      ['error', 'Could not check /livez: the batch timed out'],
      ['error', 'Could not check the etcd servers: /proc/640/cmdline: permission denied'],
    ]);
  });
});
