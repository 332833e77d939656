import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { readKubeApi } from '../../../src/kube/client.js';
import { kubeTrustWarnings } from '../../../src/kube/trust-notice.js';
import { parseInventory } from '../../../src/inventory/load.js';
import { noticeTo } from '../../../src/report/notice.js';
import { readClusterInputs } from '../../../src/run/cluster-inputs.js';
import { closedPort, makePki, startFakeApi, writeKubeconfig } from '../../fixtures/kube/api-server.js';
import type { FakeApi, Pki } from '../../fixtures/kube/api-server.js';
import type { Io } from '../../../src/io.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/kube/${name}`, import.meta.url)), 'utf8'));

describe('a kubeconfig that turns TLS off is said once a run, not used in silence', () => {
  let pki: Pki;
  let api: FakeApi;
  before(async () => {
    pki = makePki();
    api = await startFakeApi(pki, fixture('nodes-v1.20.json'), fixture('version-v1.20.json'));
  });
  after(async () => {
    await api.close();
    pki.cleanup();
  });

  test('what is said: insecure-skip-tls-verify, plain http; nothing for a verified https server', () => {
    assert.deepEqual(kubeTrustWarnings('/k', { name: 'c', server: 'https://10.0.0.1:6443', skipTLSVerify: false }), []);
    assert.deepEqual(kubeTrustWarnings('/k', { name: 'c', server: 'https://10.0.0.1:6443', skipTLSVerify: true }), [
      "warning: kubeconfig /k, cluster 'c': insecure-skip-tls-verify is set: the API server's certificate is not checked, a man-in-the-middle would go unnoticed; set certificate-authority(-data) instead",
    ]);
    assert.deepEqual(kubeTrustWarnings('/k', { name: 'c', server: 'HTTP://10.0.0.1:8080', skipTLSVerify: false }), [
      "warning: kubeconfig /k, cluster 'c': server HTTP://10.0.0.1:8080 is plain http: the API server is not authenticated and its answers and any token travel unencrypted; use https",
    ]);
  });

  test('insecure-skip-tls-verify: true is read as client-node reads it, the API is still read, and the notice says so', async () => {
    const kc = writeKubeconfig(pki, 'skip.kubeconfig', api.url, null, { cert: 'admin' });
    writeFileSync(kc, readFileSync(kc, 'utf8').replace(`    server: ${api.url}`, `    server: ${api.url}\n    insecure-skip-tls-verify: true`));
    const notices: string[] = [];
    const r = await readKubeApi({ kubeconfig: kc, timeoutMs: 5000, env: {}, home: pki.dir, onNotice: (m) => notices.push(m) });
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.deepEqual(notices, [`warning: kubeconfig ${kc}, cluster 'lab': insecure-skip-tls-verify is set: the API server's certificate is not checked, a man-in-the-middle would go unnoticed; set certificate-authority(-data) instead`]);
    const verified = writeKubeconfig(pki, 'ca.kubeconfig', api.url, 'ca.crt', { cert: 'admin' });
    const none: string[] = [];
    assert.ok((await readKubeApi({ kubeconfig: verified, timeoutMs: 5000, env: {}, home: pki.dir, onNotice: (m) => none.push(m) })).ok);
    assert.deepEqual(none, []);
  });

  test('an http:// server, as verify reads it (readClusterInputs): said through the run\'s notice, once however many attempts', async () => {
    const server = `http://127.0.0.1:${await closedPort()}`;
    const kc = writeKubeconfig(pki, 'http.kubeconfig', server, null, { token: 't' });
    const inventory = parseInventory(`cluster:\n  kubernetes: {kubeconfig: ${kc}}\nnodes:\n  - {name: m1, host: 198.18.0.11, roles: [master]}\n`, '/inv/inventory.yaml', { home: '/home/op' });
    let stderr = '';
    const io = { stderr: { write: (t: string) => ((stderr += t), true) } } as unknown as Io;
    const notice = noticeTo(io);
    for (let attempt = 0; attempt < 2; attempt++) {
      const inputs = await readClusterInputs(inventory, {}, 2000, notice);
      assert.equal(inputs.kube?.ok, false); // nothing listens: the read fails, after the warning
    }
    assert.deepEqual(stderr.split('\n').filter(Boolean), [`warning: kubeconfig ${kc}, cluster 'lab': server ${server} is plain http: the API server is not authenticated and its answers and any token travel unencrypted; use https`]);
  });
});
