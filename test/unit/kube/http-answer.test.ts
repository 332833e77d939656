import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeAnswer, healthBody, parseCurlAnswer } from '../../../src/kube/http-answer.js';

const captured = (name: string) => {
  const at = (ext: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/kube/curl/${name}.${ext}`, import.meta.url)), 'utf8');
  return parseCurlAnswer(at('out'), Number(at('rc').trim()));
};

describe("curl -sk -o - -w '\\n%{http_code}' answers (captured)", () => {
  test('200 ok', () => {
    assert.deepEqual(captured('kubelet-healthz-ok'), { kind: 'http', status: 200, body: 'ok' });
  });
  test('/readyz 500 names the failed checks', () => {
    const a = captured('apiserver-readyz-etcd-failed');
    assert.equal(a.kind === 'http' && a.status, 500);
    assert.equal(describeAnswer(a), '500 failed: etcd failed: reason withheld');
  });
  test('401 and 403 keep their Status body', () => {
    const a = captured('apiserver-livez-401');
    assert.equal(a.kind === 'http' && a.status, 401);
    assert.match(a.kind === 'http' ? a.body : '', /"reason":"Unauthorized"/);
    const f = captured('apiserver-livez-403');
    assert.equal(f.kind === 'http' && f.status, 403);
    assert.match(f.kind === 'http' ? f.body : '', /cannot get path \\"\/livez\\"/);
  });
  test('refused (exit 7) and timeout (exit 28) print 000', () => {
    assert.deepEqual(captured('refused'), { kind: 'refused' });
    assert.deepEqual(captured('timeout'), { kind: 'timeout' });
  });
  test('other curl failures are named; curl missing is 127', () => {
    assert.deepEqual(parseCurlAnswer('\n000', 35), { kind: 'failed', detail: 'TLS handshake failed (curl exit 35)' });
    assert.deepEqual(parseCurlAnswer('', 127), { kind: 'failed', detail: 'curl is not installed on the node' });
    assert.deepEqual(parseCurlAnswer('\n000', 99), { kind: 'failed', detail: 'curl exit 99' });
  });
  test('a body with newlines of its own; long bodies are cut', () => {
    assert.deepEqual(parseCurlAnswer('a\nb\n\n200', 0), { kind: 'http', status: 200, body: 'a\nb\n' });
    assert.equal(healthBody('x'.repeat(300)).length, 121);
    assert.equal(healthBody(''), '(empty body)');
  });
});
