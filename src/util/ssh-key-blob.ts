// The binary public key inside an authorized_keys line (RFC 4253 §6.6, RFC 5656, RFC 8709 and
// OpenSSH's PROTOCOL.certkeys / PROTOCOL.u2f), checked the way OpenSSH's sshkey_from_blob reads
// it (sshkey.c, cert_parse; openssh-portable 10.5, the same layouts as the 9.2 on this machine):
// every field present, nothing after the last one. Signatures are not verified: this only tells a
// public key from something that is not one. Pure.

class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  private take(n: number): Buffer | undefined {
    if (this.buf.length - this.at < n) return undefined;
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  fixed(n: number): boolean {
    return this.take(n) !== undefined;
  }
  u32(): number | undefined {
    return this.take(4)?.readUInt32BE(0);
  }
  string(): Buffer | undefined {
    const len = this.u32();
    return len === undefined ? undefined : this.take(len);
  }
  get rest(): number {
    return this.buf.length - this.at;
  }
}

// A problem with the key, or undefined; "short" when a field is missing.
type Fields = (r: Reader) => string | undefined;
const SHORT = 'short';

// sshbuf_get_bignum2_bytes_direct: no sign bit, at most 16384 bits. Answers the bits it holds.
function mpint(r: Reader): number | string {
  const b = r.string();
  if (b === undefined) return SHORT;
  if (b.length > 0 && (b[0] ?? 0) & 0x80) return 'it holds a negative number';
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (b.length - i > 2048) return 'it holds a number over 16384 bits';
  return i === b.length ? 0 : (b.length - i - 1) * 8 + (32 - Math.clz32(b[i] ?? 0));
}

const mpints =
  (n: number): Fields =>
  (r) => {
    for (let i = 0; i < n; i++) {
      const m = mpint(r);
      if (typeof m === 'string') return m;
    }
    return undefined;
  };

function rsa(r: Reader): string | undefined {
  const e = mpint(r);
  if (typeof e === 'string') return e;
  const n = mpint(r);
  if (typeof n === 'string') return n;
  return n < 1024 ? `its RSA modulus has ${n} bits (sshd takes at least 1024)` : undefined;
}

function ed25519(r: Reader): string | undefined {
  const pk = r.string();
  if (pk === undefined) return SHORT;
  return pk.length === 32 ? undefined : `its Ed25519 key is ${pk.length} bytes, not 32`;
}

// An uncompressed point (0x04, x, y) on the named curve.
const ecdsa =
  (curve: string, coordinate: number): Fields =>
  (r) => {
    const name = r.string();
    if (name === undefined) return SHORT;
    if (name.toString('latin1') !== curve) return `its curve is not ${curve}`;
    const q = r.string();
    if (q === undefined) return SHORT;
    return q.length === 1 + 2 * coordinate && q[0] === 4 ? undefined : `its point is not an uncompressed ${curve} point`;
  };

// A FIDO key: the key, then the application string.
const sk =
  (key: Fields): Fields =>
  (r) =>
    key(r) ?? (r.string() === undefined ? SHORT : undefined);

const PLAIN: ReadonlyMap<string, Fields> = new Map([
  ['ssh-ed25519', ed25519],
  ['ssh-rsa', rsa],
  ['ssh-dss', mpints(4)],
  ['ecdsa-sha2-nistp256', ecdsa('nistp256', 32)],
  ['ecdsa-sha2-nistp384', ecdsa('nistp384', 48)],
  ['ecdsa-sha2-nistp521', ecdsa('nistp521', 66)],
  ['sk-ssh-ed25519@openssh.com', sk(ed25519)],
  ['sk-ecdsa-sha2-nistp256@openssh.com', sk(ecdsa('nistp256', 32))],
]);

// ssh-ed25519 → ssh-ed25519-cert-v01@openssh.com, sk-ssh-ed25519@openssh.com →
// sk-ssh-ed25519-cert-v01@openssh.com (PROTOCOL.certkeys, PROTOCOL.u2f).
const certName = (plain: string): string => `${plain.replace(/@openssh\.com$/, '')}-cert-v01@openssh.com`;
const CERT: ReadonlyMap<string, Fields> = new Map([...PLAIN].map(([name, fields]) => [certName(name), fields]));

// Every key type an authorized_keys line may name, plain and certificate.
export const KEY_TYPES: readonly string[] = [...PLAIN.keys(), ...CERT.keys()];

// cert_parse: after the nonce and the key, serial, type (1 user, 2 host), key id, principals,
// validity, critical options, extensions, reserved, the CA's (plain) key and the signature.
function certificate(r: Reader, key: Fields): string | undefined {
  if (r.string() === undefined) return SHORT; // nonce
  const problem = key(r);
  if (problem !== undefined) return problem;
  if (!r.fixed(8)) return SHORT; // serial
  const type = r.u32();
  if (type === undefined) return SHORT;
  if (type !== 1 && type !== 2) return 'its certificate is neither a user nor a host certificate';
  if (r.string() === undefined || r.string() === undefined) return SHORT; // key id, principals
  if (!r.fixed(16)) return SHORT; // valid after, valid before
  for (let i = 0; i < 3; i++) if (r.string() === undefined) return SHORT; // critical options, extensions, reserved
  const ca = r.string();
  if (ca === undefined) return SHORT;
  const caProblem = blobProblem(ca, false);
  if (caProblem !== undefined) return `its CA key is not a public key (${caProblem})`;
  return r.string() === undefined ? SHORT : undefined; // signature
}

// sshkey_from_blob: a CA key may not be a certificate itself.
function blobProblem(blob: Buffer, allowCert: boolean, expected?: string): string | undefined {
  const r = new Reader(blob);
  const name = r.string()?.toString('latin1');
  if (name === undefined) return 'it is cut short';
  if (expected !== undefined && name !== expected) {
    return KEY_TYPES.includes(name) ? `it holds a ${name} key, not ${expected}` : `it does not hold a ${expected} key`;
  }
  const plain = PLAIN.get(name);
  const cert = allowCert ? CERT.get(name) : undefined;
  if (plain === undefined && cert === undefined) return 'it is not a key type OpenSSH knows';
  const problem = cert !== undefined ? certificate(r, cert) : plain?.(r);
  if (problem === SHORT) return 'it is cut short';
  if (problem !== undefined) return problem;
  return r.rest === 0 ? undefined : `${r.rest} bytes follow the key`;
}

// The problem with a decoded key blob that the line says is a `type` key, or undefined.
export function keyBlobProblem(blob: Buffer, type: string): string | undefined {
  return blobProblem(blob, true, type);
}
