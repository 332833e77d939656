// A key pair from ssh2's generator that ssh2's own parser reads back. ssh2 1.17 now and then
// writes an ed25519 private key its parser calls malformed (13 of 3000 here: "Cannot parse
// privateKey: Malformed OpenSSH private key"), which made the tests that use one fail at random.
import ssh2 from 'ssh2';

const { utils } = ssh2;

type Pair = { private: string; public: string };

function retried(make: () => Pair, passphrase?: string): Pair {
  for (let i = 0; ; i++) {
    const k = make();
    if (!(utils.parseKey(k.private, passphrase) instanceof Error) || i >= 20) return k;
  }
}

export function keyPair(type: 'ed25519' | 'ecdsa' = 'ed25519', opts: { passphrase?: string; cipher?: string; rounds?: number } = {}): Pair {
  if (type === 'ecdsa') return retried(() => utils.generateKeyPairSync('ecdsa', { bits: 256 }));
  return retried(() => (opts.passphrase ? utils.generateKeyPairSync('ed25519', opts as Parameters<typeof utils.generateKeyPairSync>[1]) : utils.generateKeyPairSync('ed25519')), opts.passphrase);
}
