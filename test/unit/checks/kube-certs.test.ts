import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkCerts } from '../../../src/checks/kube-certs.js';
import { parseX509Text } from '../../../src/kube/x509.js';
import { evidenceOf, expectOf } from '../../fixtures/kube/builders.js';

const out = readFileSync(fileURLToPath(new URL('../../fixtures/kube/openssl/kubelet-client-3.0.out', import.meta.url)), 'utf8'); // notAfter 2027-12-02T08:14:24Z
const client = { what: 'kubelet client certificate', path: '/var/lib/kubelet/pki/kubelet-client-current.pem', cert: parseX509Text(out, 'x') };
const at = (iso: string) => new Date(iso);

describe('kube.certs', () => {
  test('valid for long: pass with the date', () => {
    assert.deepEqual(checkCerts(expectOf(), evidenceOf({ certs: { ok: [client] } }), at('2027-01-01T00:00:00Z')), [
      { id: 'kube.certs', status: 'pass', expected: 'kubelet client certificate: valid for 30 days or more', actual: 'expires 2027-12-02 (335 days)', message: 'kubelet client certificate /var/lib/kubelet/pki/kubelet-client-current.pem (CN system:node:w1) valid until 2027-12-02' },
    ]);
  });
  test('under 30 days: the project\'s warning (a pass whose message starts with "warning:")', () => {
    const [r] = checkCerts(expectOf(), evidenceOf({ certs: { ok: [client] } }), at('2027-11-20T00:00:00Z'));
    assert.equal(r?.status, 'pass');
    assert.equal(r?.message, 'warning: kubelet client certificate /var/lib/kubelet/pki/kubelet-client-current.pem (CN system:node:w1) expires in 12 days, on 2027-12-02: renew it');
  });
  test('expired: fail', () => {
    const [r] = checkCerts(expectOf(), evidenceOf({ certs: { ok: [client] } }), at('2027-12-02T08:14:25Z'));
    assert.equal(r?.status, 'fail');
    assert.equal(r?.actual, 'expired 2027-12-02');
  });
  test('one result per certificate; missing, unreadable, none named', () => {
    const certs = [client, { what: 'kube-apiserver serving certificate (--tls-cert-file)', path: '/etc/kubernetes/tls/apiserver.crt', cert: { absent: 'no such file' } }, { what: 'x', path: '/x', cert: { error: 'permission denied' } }];
    assert.deepEqual(checkCerts(expectOf(), evidenceOf({ certs: { ok: certs } }), at('2027-01-01T00:00:00Z')).map((r) => r.status), ['pass', 'fail', 'error']);
    assert.equal(checkCerts(expectOf(), evidenceOf({ certs: { ok: [] } }), at('2027-01-01T00:00:00Z'))[0]?.status, 'skip');
  });
});
