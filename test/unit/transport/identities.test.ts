import assert from 'node:assert/strict';
import { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { IdentityCache, signingOnce } from '../../../src/transport/identities.js';

const { utils } = ssh2;
const parse = (pem: string): ParsedKey => {
  const k = utils.parseKey(pem);
  if (k instanceof Error || Array.isArray(k)) throw new Error('test key did not parse');
  return k;
};
const DATA = Buffer.from('session id and the userauth request ssh2 signs');

describe('identities: a key decoded once signs as ssh2 would', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clusterctl-id-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [type, opts, hashes] of [
    ['ed25519', {}, [undefined]],
    ['rsa', { bits: 2048 }, [undefined, 'sha256', 'sha512']],
    ['ecdsa', { bits: 256 }, [undefined]],
  ] as const) {
    test(`${type}: the same signatures, verified by the key's own public half; the PEM decoded once`, () => {
      const original = parse(utils.generateKeyPairSync(type, opts).private);
      const once = signingOnce(original);
      assert.notEqual(once, original);
      // ssh2 takes it as a parsed key (no second parse) and reads the same public key from it.
      assert.equal(utils.parseKey(once), once);
      assert.deepEqual(once.getPublicSSH(), original.getPublicSSH());
      assert.equal(once.type, original.type);
      // The PEM ssh2 signs with is an OpenSSL key object now, on the new key only.
      const own = Object.getOwnPropertySymbols(once).map((s) => (once as unknown as Record<symbol, unknown>)[s]);
      assert.equal(own.filter((v) => v instanceof KeyObject).length, 1);
      for (const hash of hashes) {
        const sig = once.sign(DATA, hash);
        assert.ok(Buffer.isBuffer(sig), `sign(${hash}) returned ${String(sig)}`);
        assert.equal(original.verify(DATA, sig, hash), true);
        // ed25519 and RSA PKCS#1 v1.5 are deterministic: byte for byte what ssh2 made before.
        if (type !== 'ecdsa') assert.deepEqual(sig, original.sign(DATA, hash));
      }
    });
  }

  test('a key read from its file through the run cache signs with the decoded key', async () => {
    const pair = utils.generateKeyPairSync('ed25519');
    const file = join(dir, 'id_ed25519');
    writeFileSync(file, pair.private, { mode: 0o600 });
    const id = await new IdentityCache({}).get(file);
    assert.equal(id.file, file);
    assert.equal(Object.getOwnPropertySymbols(id.key).length, 1);
    assert.deepEqual(id.key.sign(DATA), parse(pair.private).sign(DATA));
  });

  test('an encrypted key, opened once with its passphrase, signs with the decoded key too', async () => {
    const pair = utils.generateKeyPairSync('ed25519', { passphrase: 'correct horse', cipher: 'aes256-ctr', rounds: 4 });
    const file = join(dir, 'id_encrypted');
    writeFileSync(file, pair.private, { mode: 0o600 });
    const id = await new IdentityCache({ env: 'correct horse' }).get(file);
    assert.equal(Object.getOwnPropertySymbols(id.key).length, 1);
    const sig = id.key.sign(DATA);
    assert.ok(Buffer.isBuffer(sig));
    assert.equal(parse(pair.public).verify(DATA, sig), true);
  });
});
