import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isSecretName, redactArgv, redactDeep, redactText, REDACTED, shortHash } from '../../../src/util/redact.js';

describe('redaction of secrets a node shows', () => {
  test('a name says secret: PASSWORD, PASSWD, TOKEN, SECRET, CREDENTIAL, PRIVATE, in any spelling; a file, path or dir of one is no secret', () => {
    for (const n of ['FLANNELD_ETCD_PASSWORD', 'etcd-password', 'etcdPassword', 'MYSQL_PASSWD', 'bootstrap-token', 'client_secret', 'AWS_CREDENTIALS', 'PRIVATE_KEY', 'ETCD_INITIAL_CLUSTER_TOKEN']) assert.equal(isSecretName(n), true, n);
    for (const n of ['FLANNELD_ETCD_KEYFILE', 'FLANNELD_ETCD_CERTFILE', 'token-auth-file', 'tls-private-key-file', 'privateKeyPath', 'SECRETS_DIR', 'FLANNELD_ETCD_ENDPOINTS', 'etcd-username', 'kubeconfig']) assert.equal(isSecretName(n), false, n);
  });

  test('each form a secret takes in text: an environment file, Environment= quoted or not, flags with = or a space, YAML and JSON keys', () => {
    const cases: [string, string][] = [
      ['FLANNELD_ETCD_PASSWORD=two words', `FLANNELD_ETCD_PASSWORD=${REDACTED}`],
      ['export ETCD_PASSWORD="quoted pw"', `export ETCD_PASSWORD=${REDACTED}`],
      ['Environment="FLANNELD_ETCD_PASSWORD=pw with space" "FLANNELD_IFACE=eth0"', `Environment="FLANNELD_ETCD_PASSWORD=${REDACTED}" "FLANNELD_IFACE=eth0"`],
      ['Environment=FLANNELD_ETCD_PASSWORD=pw2 FLANNELD_IFACE=eth0', `Environment=FLANNELD_ETCD_PASSWORD=${REDACTED} FLANNELD_IFACE=eth0`],
      ['ExecStart=/usr/bin/flanneld --etcd-password=pw3 --etcd-username=core', `ExecStart=/usr/bin/flanneld --etcd-password=${REDACTED} --etcd-username=core`],
      ['ExecStart=/usr/bin/flanneld --etcd-password pw4 --etcd-keyfile /k.pem', `ExecStart=/usr/bin/flanneld --etcd-password ${REDACTED} --etcd-keyfile /k.pem`],
      ['FLANNEL_OPTS=--etcd-password=pw5 -iface=eth0', `FLANNEL_OPTS=--etcd-password=${REDACTED} -iface=eth0`],
      ['env FOO_TOKEN=pw6 /usr/bin/x', `env FOO_TOKEN=${REDACTED} /usr/bin/x`],
      ['  token: abc123', `  token: ${REDACTED}`],
      ['{"password": "jsonpw", "user": "x"}', `{"password": ${REDACTED}, "user": "x"}`],
    ];
    for (const [text, want] of cases) assert.equal(redactText(text), want, text);
  });

  test('what is not a secret stays: paths of key and token files, bare boolean flags, other text', () => {
    for (const text of [
      'FLANNELD_ETCD_KEYFILE=/etc/ssl/etcd/client-key.pem',
      'ExecStart=/usr/bin/kube-apiserver --token-auth-file=/etc/tokens.csv --enable-bootstrap-token-auth --authorization-mode=Node',
      '--service-account-private-key-file=/etc/kubernetes/pki/sa.key',
      'flanneld.service loaded failed failed flannel',
      'a private network, a token ring',
    ]) assert.equal(redactText(text), text);
  });

  test('a command line: --flag=value, and the argument after a bare secret flag', () => {
    assert.deepEqual(redactArgv(['/usr/bin/flanneld', '--etcd-password', 'pw7', '--etcd-keyfile', '/k.pem', '--token=x y', '--enable-bootstrap-token-auth', '--v=2']), ['/usr/bin/flanneld', '--etcd-password', REDACTED, '--etcd-keyfile', '/k.pem', `--token=${REDACTED}`, '--enable-bootstrap-token-auth', '--v=2']);
  });

  test('any value, its shape kept: strings, lists, values under a secret key; a Date stays a Date', () => {
    const at = new Date(0);
    const v = { a: { ok: { FLANNELD_ETCD_PASSWORD: 'pw8', FLANNELD_ETCD_KEYFILE: '/k.pem', n: 1, at, lines: ['x', '--token', 'pw9'] } }, e: { error: 'bad line FOO_SECRET=pw10' } };
    assert.deepEqual(redactDeep(v), { a: { ok: { FLANNELD_ETCD_PASSWORD: REDACTED, FLANNELD_ETCD_KEYFILE: '/k.pem', n: 1, at, lines: ['x', '--token', REDACTED] } }, e: { error: `bad line FOO_SECRET=${REDACTED}` } });
    assert.ok(redactDeep(v).a.ok.at instanceof Date);
  });

  test('a hash as verify prints it', () => {
    assert.equal(shortHash('a'.repeat(64)), 'aaaaaaaaaaaa…');
  });
});
