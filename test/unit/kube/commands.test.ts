import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { certCommand, healthCommand, isComponent } from '../../../src/kube/commands.js';
import { parseCurlAnswer } from '../../../src/kube/http-answer.js';
import { closedPort } from '../../fixtures/kube/api-server.js';

describe('the node-side commands', () => {
  test('command lines, values quoted', () => {
    assert.equal(healthCommand('https://127.0.0.1:6443/livez'), "curl -sk --max-time 5 -o - -w '\\n%{http_code}' https://127.0.0.1:6443/livez");
    assert.equal(certCommand("/etc/k/it's.crt"), "openssl x509 -noout -enddate -subject -in '/etc/k/it'\\''s.crt'");
  });
  test('healthCommand run by a real sh and curl prints what parseCurlAnswer reads', async () => {
    const port = await closedPort();
    let stdout = '';
    let code = 0;
    try {
      stdout = execFileSync('sh', ['-c', healthCommand(`http://127.0.0.1:${port}/healthz`, 2)], { encoding: 'utf8' });
    } catch (err) {
      const e = err as { stdout: string; status: number };
      stdout = e.stdout;
      code = e.status;
    }
    assert.deepEqual(parseCurlAnswer(stdout, code), { kind: 'refused' });
  });
  test('which process is the kubelet or the apiserver: the binary, or hyperkube\'s subcommand', () => {
    assert.equal(isComponent(['/usr/bin/kubelet', '--v=2'], 'kubelet'), true);
    assert.equal(isComponent(['/hyperkube', 'kubelet', '--v=2'], 'kubelet'), true);
    assert.equal(isComponent(['/hyperkube', 'apiserver', '--etcd-servers=x'], 'kube-apiserver'), true);
    assert.equal(isComponent(['/usr/local/bin/kube-apiserver'], 'kube-apiserver'), true);
    assert.equal(isComponent(['/hyperkube', 'proxy'], 'kubelet'), false);
    assert.equal(isComponent(['/usr/bin/kubelet-wrapper'], 'kubelet'), false);
  });
});
