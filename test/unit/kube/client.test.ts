// Real @kubernetes/client-node against a real TLS server on 127.0.0.1 (test/fixtures/kube/api-server.ts):
// no mock of the client; what it would meet in front of a real apiserver, failures included.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { readKubeApi } from '../../../src/kube/client.js';
import type { KubeApiRead } from '../../../src/kube/view.js';
import { closedPort, makePki, silentServer, startFakeApi, writeKubeconfig } from '../../fixtures/kube/api-server.js';
import type { FakeApi, Pki } from '../../fixtures/kube/api-server.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/kube/${name}`, import.meta.url)), 'utf8'));

const DIST_CLIENT = fileURLToPath(new URL('../../../dist/kube/client.js', import.meta.url));

const failure = (r: KubeApiRead): string => {
  assert.equal(r.ok, false, 'the read should have failed');
  return r.ok ? '' : r.error;
};

describe('readKubeApi: client-node against a real TLS server', () => {
  let pki: Pki;
  let api: FakeApi;
  let wrongName: FakeApi;
  before(async () => {
    pki = makePki();
    api = await startFakeApi(pki, fixture('nodes-v1.20.json'), fixture('version-v1.20.json'));
    wrongName = await startFakeApi(pki, fixture('nodes-v1.20.json'), fixture('version-v1.20.json'), 'wrongname');
  });
  after(async () => {
    await api.close();
    await wrongName.close();
    pki.cleanup();
  });
  const read = (kubeconfig: string, timeoutMs = 5000) => readKubeApi({ kubeconfig, timeoutMs, env: {}, home: pki.dir });

  test('client certificate: the Nodes and /version, in one read', async () => {
    const kc = writeKubeconfig(pki, 'admin.kubeconfig', api.url, 'ca.crt', { cert: 'admin' });
    const r = await read(kc);
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.view.kubeconfig, kc);
    assert.equal(r.view.server, api.url);
    assert.deepEqual(r.view.version, { gitVersion: 'v1.20.2' });
    assert.deepEqual([...r.view.nodes.keys()], ['m1', 'w1']);
    assert.deepEqual(r.view.nodes.get('m1')?.ready, { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    assert.equal(r.view.nodes.get('m1')?.podCIDR, '10.1.11.0/24');
    assert.equal(r.view.nodes.get('w1')?.ready?.status, 'False');
    const asked = api.requests.slice(-2).map((q) => `${q.user} ${q.path}`).sort();
    assert.deepEqual(asked, ['admin /api/v1/nodes', 'admin /version']);
  });

  test('bearer token from the kubeconfig', async () => {
    const r = await read(writeKubeconfig(pki, 'token.kubeconfig', api.url, 'ca.crt', { token: 'admin-token' }));
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.view.nodes.size, 2);
  });

  test('an exec credential plugin (a real program, as kubectl runs it): its token is used', async () => {
    const cred = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: 'admin-token' } });
    const r = await read(writeKubeconfig(pki, 'exec.kubeconfig', api.url, 'ca.crt', { exec: `echo '${cred}'` }));
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.view.nodes.size, 2);
  });

  test('an exec plugin that fails, or hangs: one sentence, the read ends in time', async () => {
    const failing = writeKubeconfig(pki, 'exec-fail.kubeconfig', api.url, 'ca.crt', { exec: 'echo "no SSO session; run sso login" >&2; exit 1' });
    assert.equal(failure(await read(failing)), `the exec credential plugin ${failing}.plugin.sh of ${failing} failed: no SSO session; run sso login; run it by hand to see why`);
    const hanging = writeKubeconfig(pki, 'exec-hang.kubeconfig', api.url, 'ca.crt', { exec: 'exec sleep 3' });
    assert.equal(
      failure(await read(hanging, 300)),
      `reading the API at ${api.url} with ${hanging} did not finish within 0.8 s: does its exec credential plugin hang (run it by hand), or does the server not answer?`,
    );
  });

  test('401: a token the server does not know', async () => {
    const kc = writeKubeconfig(pki, 'badtoken.kubeconfig', api.url, 'ca.crt', { token: 'nope' });
    assert.equal(
      failure(await read(kc)),
      `the API at ${api.url} answered 401 Unauthorized to ${kc}'s credentials: its user's client certificate or token is not accepted (expired, or signed by another CA); use a kubeconfig whose user the apiserver trusts`,
    );
  });

  test('403: a user that may not list nodes; the server\'s own words are quoted', async () => {
    const kc = writeKubeconfig(pki, 'viewer.kubeconfig', api.url, 'ca.crt', { cert: 'viewer' });
    assert.equal(
      failure(await read(kc)),
      `the user of ${kc} may not list nodes at ${api.url} (403 Forbidden: "nodes is forbidden: User "viewer" cannot list resource "nodes" in API group "" at the cluster scope"): grant it get and list on nodes (a ClusterRole and ClusterRoleBinding), or use the cluster's admin kubeconfig`,
    );
  });

  test('a client certificate of another CA is anonymous: 403 as system:anonymous', async () => {
    const kc = writeKubeconfig(pki, 'stranger.kubeconfig', api.url, 'ca.crt', { cert: 'stranger' });
    assert.match(failure(await read(kc)), /may not list nodes .*User "system:anonymous"/);
  });

  test('the server certificate is not trusted: no CA, another CA, a name it does not carry', async () => {
    const none = writeKubeconfig(pki, 'noca.kubeconfig', api.url, null, { cert: 'admin' });
    assert.match(failure(await read(none)), new RegExp(`^the certificate of ${api.url} is not trusted with ${none} \\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY): .*set that cluster's certificate-authority`));
    const other = writeKubeconfig(pki, 'otherca.kubeconfig', api.url, 'other-ca.crt', { cert: 'admin' });
    assert.match(failure(await read(other)), /is not trusted with .*otherca\.kubeconfig \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN): self-signed certificate in certificate chain\)/);
    const name = writeKubeconfig(pki, 'wrongname.kubeconfig', wrongName.url, 'ca.crt', { cert: 'admin' });
    assert.equal(
      failure(await read(name)),
      `the certificate of ${wrongName.url} is not trusted with ${name} (ERR_TLS_CERT_ALTNAME_INVALID: its certificate does not name that address): set that cluster's certificate-authority to the CA that signed the apiserver's certificate, and use the address the certificate names`,
    );
  });

  test('nothing listens at the server: connection refused', async () => {
    const url = `https://127.0.0.1:${await closedPort()}`;
    const kc = writeKubeconfig(pki, 'refused.kubeconfig', url, 'ca.crt', { cert: 'admin' });
    assert.equal(failure(await read(kc)), `nothing answers at ${url} (connection refused), the server ${kc} names: is kube-apiserver running there, on that port?`);
  });

  test('a server that never answers: the whole read ends at the timeout', async () => {
    const silent = await silentServer();
    try {
      const url = `https://127.0.0.1:${silent.port}`;
      const kc = writeKubeconfig(pki, 'silent.kubeconfig', url, 'ca.crt', { cert: 'admin' });
      assert.equal(failure(await read(kc, 400)), `${url} (the server of ${kc}) did not answer within 0.4 s: is kube-apiserver running, and is that address reachable from this machine?`);
    } finally {
      await silent.close();
    }
  });

  test('the kubeconfig itself: missing, not YAML, a client key file it names is gone, no current context', async () => {
    const missing = pki.file('absent.kubeconfig');
    assert.equal(failure(await read(missing)), `kubeconfig ${missing} does not exist: set cluster.kubernetes.kubeconfig (or $KUBECONFIG) to the cluster's admin kubeconfig`);
    const junk = pki.file('junk.kubeconfig');
    writeFileSync(junk, 'clusters: [\n  - {name: x\n');
    assert.match(failure(await read(junk)), new RegExp(`^kubeconfig ${junk} is not valid YAML \\(.+\\): fix it, or point at another with cluster.kubernetes.kubeconfig$`));
    const gone = writeKubeconfig(pki, 'gone.kubeconfig', api.url, 'ca.crt', { cert: 'admin' });
    writeFileSync(gone, readFileSync(gone, 'utf8').replace(pki.file('admin.key'), pki.file('nosuch.key')));
    assert.equal(failure(await read(gone)), `${pki.file('nosuch.key')}, which kubeconfig ${gone} names, cannot be read (ENOENT): fix the path in ${gone} or the file's permissions`);
    const noctx = pki.file('noctx.kubeconfig');
    writeFileSync(noctx, 'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n');
    assert.equal(failure(await read(noctx)), `kubeconfig ${noctx} has no current context: set one (\`kubectl --kubeconfig ${noctx} config use-context NAME\`)`);
  });

  test('no kubeconfig named anywhere: $KUBECONFIG, then ~/.kube/config, as kubectl', async () => {
    const r = await readKubeApi({ timeoutMs: 1000, env: {}, home: pki.dir });
    assert.deepEqual(r, {
      ok: false,
      kubeconfig: null,
      error: `no kubeconfig: ${pki.file('.kube/config')} does not exist and $KUBECONFIG is not set; set cluster.kubernetes.kubeconfig in the inventory (or $KUBECONFIG) to the cluster's admin kubeconfig`,
    });
    const kc = writeKubeconfig(pki, 'env.kubeconfig', api.url, 'ca.crt', { cert: 'admin' });
    const viaEnv = await readKubeApi({ timeoutMs: 5000, env: { KUBECONFIG: `${pki.file('nope')}:${kc}` }, home: pki.dir });
    assert.ok(viaEnv.ok && viaEnv.view.kubeconfig === kc, 'the first existing file of $KUBECONFIG');
  });

  // tsx hides ESM/CJS interop bugs (ssh2's named exports were one): plain Node on the built
  // file must load client-node and read the same answer.
  test('plain Node (no tsx) on dist/: client-node imports and reads', async () => {
    const kc = writeKubeconfig(pki, 'dist.kubeconfig', api.url, 'ca.crt', { cert: 'admin' });
    const script = `const { readKubeApi } = await import(${JSON.stringify(DIST_CLIENT)});
const r = await readKubeApi({ kubeconfig: ${JSON.stringify(kc)}, timeoutMs: 5000, env: {}, home: '/nonexistent' });
console.log(JSON.stringify(r.ok ? { nodes: [...r.view.nodes.keys()], version: r.view.version } : r));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 30_000 }).catch((err: Error) => {
      throw new Error(`plain node on ${DIST_CLIENT} failed (run \`npm run build\` first): ${err.message}`);
    });
    assert.deepEqual(JSON.parse(stdout), { nodes: ['m1', 'w1'], version: { gitVersion: 'v1.20.2' } });
  });
});
