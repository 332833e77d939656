import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commonName, parseOpensslDate, parseX509Text } from '../../../src/kube/x509.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/kube/openssl/${name}`, import.meta.url)), 'utf8');

describe('openssl x509 -noout -enddate -subject', () => {
  test('OpenSSL 3.0 output (captured)', () => {
    const r = parseX509Text(fixture('kubelet-client-3.0.out'), '/var/lib/kubelet/pki/kubelet-client-current.pem');
    assert.deepEqual(r, { ok: { notAfter: new Date('2027-12-02T08:14:24Z'), subject: 'O = system:nodes, CN = system:node:w1' } });
    assert.equal(commonName('O = system:nodes, CN = system:node:w1'), 'system:node:w1');
  });
  test('OpenSSL 1.0 output, lines in the other order', () => {
    const r = parseX509Text(fixture('apiserver-1.0.out'), '/etc/kubernetes/tls/apiserver.crt');
    assert.deepEqual(r, { ok: { notAfter: new Date('2027-03-14T09:00:00Z'), subject: '/CN=kube-apiserver' } });
    assert.equal(commonName('/CN=kube-apiserver'), 'kube-apiserver');
  });
  test('not a certificate: the error names the file and openssl\'s first line', () => {
    assert.deepEqual(parseX509Text(fixture('not-a-cert.err'), '/x.crt'), {
      error: '/x.crt: openssl printed no notAfter= line (Could not read certificate from g.crt); is it a PEM certificate?',
    });
    assert.deepEqual(parseX509Text('notAfter=sometime\n', '/x.crt'), { error: '/x.crt: cannot read the date in "notAfter=sometime"' });
    assert.equal(parseOpensslDate('Foo  2 08:14:24 2027 GMT'), undefined);
  });
  test('real openssl on a certificate made now: the date it prints is the one it signed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clusterctl-x509-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c.crt'), '-days', '10', '-subj', '/CN=kube-apiserver'], { stdio: 'ignore' });
      const out = execFileSync('openssl', ['x509', '-noout', '-enddate', '-subject', '-in', join(dir, 'c.crt')], { encoding: 'utf8' });
      const r = parseX509Text(out, 'c.crt');
      assert.ok('ok' in r);
      const days = (r.ok.notAfter.getTime() - Date.now()) / 86_400_000;
      assert.ok(days > 9.9 && days <= 10, `${days} days`);
      assert.equal(commonName(r.ok.subject), 'kube-apiserver');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
