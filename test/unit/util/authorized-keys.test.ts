import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { keyLineProblem, NOT_A_KEY } from '../../../src/util/authorized-keys.js';
import { sshCertificate, sshKeygen } from '../../helpers/ssh-keygen.js';

// Real keys from this machine's ssh-keygen (OpenSSH 9.2).
const ed25519 = sshKeygen('ed25519');
const rsa = sshKeygen('rsa', ['-b', '2048']);
const ecdsa256 = sshKeygen('ecdsa', ['-b', '256']);
const ecdsa521 = sshKeygen('ecdsa', ['-b', '521']);
const dsa = sshKeygen('dsa');
const cert = sshCertificate(sshKeygen('ed25519'));
const rsaCert = sshCertificate(sshKeygen('rsa', ['-b', '2048']));

const [edType = '', edBlob = ''] = ed25519.public.split(' ');
const [rsaType = '', rsaBlob = ''] = rsa.public.split(' ');

// An SSH wire string (RFC 4251 §5): uint32 length, then the bytes.
function wire(...fields: (string | Buffer)[]): string {
  return Buffer.concat(fields.flatMap((f) => {
    const b = Buffer.from(f);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return [len, b];
  })).toString('base64');
}

// A FIDO key, as PROTOCOL.u2f lays it out (ssh-keygen needs the token to make one).
const skEd25519 = (): string => `sk-ssh-ed25519@openssh.com ${wire('sk-ssh-ed25519@openssh.com', Buffer.alloc(32, 7), 'ssh:')} fido@test`;

describe('keyLineProblem: what sshd takes', () => {
  test('every key ssh-keygen writes: ed25519, rsa, ecdsa 256 and 521, dsa, certificates', () => {
    for (const line of [ed25519.public, rsa.public, ecdsa256.public, ecdsa521.public, dsa.public, cert, rsaCert]) {
      assert.equal(keyLineProblem(line), undefined, line);
    }
    assert.match(cert, /^ssh-ed25519-cert-v01@openssh\.com /);
  });
  test('a FIDO (sk-) key', () => {
    assert.equal(keyLineProblem(skEd25519()), undefined);
  });
  test('no comment, a comment with spaces, tabs between the fields', () => {
    assert.equal(keyLineProblem(`${edType} ${edBlob}`), undefined);
    assert.equal(keyLineProblem(`${edType}\t${edBlob}\tmy laptop key`), undefined);
  });
  test('options as sshd(8) lists them, quoted values with commas, spaces and \\"', () => {
    for (const opts of ['restrict', 'no-pty,no-port-forwarding', 'NO-X11-FORWARDING', 'restrict,pty,command="dump /home"', 'from="10.0.0.0/8,192.168.1.*",environment="A=b c"', 'command="echo \\"hi\\", there"', 'cert-authority,principals="user_a",no-touch-required', 'permitopen="192.0.2.1:80",permitlisten="localhost:8080",tunnel="0",expiry-time="20300101"', 'verify-required,agent-forwarding,user-rc,port-forwarding,x11-forwarding']) {
      assert.equal(keyLineProblem(`${opts} ${ed25519.public}`), undefined, opts);
    }
  });
});

describe('keyLineProblem: what it refuses', () => {
  test('a private key says so and quotes nothing of it', () => {
    const lines = readFileSync(ed25519.private, 'utf8').split('\n');
    assert.equal(lines[0], '-----BEGIN OPENSSH PRIVATE KEY-----');
    assert.equal(keyLineProblem(lines[0] ?? ''), 'a private key (BEGIN OPENSSH PRIVATE KEY): give the public key, the .pub file beside it');
    assert.match(keyLineProblem('-----BEGIN RSA PRIVATE KEY-----') ?? '', /^a private key \(BEGIN RSA PRIVATE KEY\)/);
    assert.match(keyLineProblem('-----BEGIN PRIVATE KEY-----') ?? '', /^a private key \(BEGIN PRIVATE KEY\)/);
    assert.match(keyLineProblem('PuTTY-User-Key-File-3: ssh-ed25519') ?? '', /^a private key \(a PuTTY private key file\)/);
    assert.equal(keyLineProblem(lines[1] ?? ''), NOT_A_KEY);
  });
  test('a blob of another type, or none', () => {
    assert.equal(keyLineProblem(`ssh-rsa ${edBlob} x`), 'the key after ssh-rsa is not a ssh-rsa public key: it holds a ssh-ed25519 key, not ssh-rsa');
    assert.equal(keyLineProblem(`${edType}`), 'nothing follows the key type ssh-ed25519: the base64 key is missing');
    assert.equal(keyLineProblem(`${edType} not-base64!`), 'the key after ssh-ed25519 is not base64');
    assert.equal(keyLineProblem(`${edType} ${edBlob.slice(0, -4)}`), 'the key after ssh-ed25519 is not a ssh-ed25519 public key: it is cut short');
    assert.equal(keyLineProblem(`${edType} ${Buffer.concat([Buffer.from(edBlob, 'base64'), Buffer.from('xyz')]).toString('base64')}`), 'the key after ssh-ed25519 is not a ssh-ed25519 public key: 3 bytes follow the key');
    assert.equal(keyLineProblem(`${rsaType} ${rsaBlob.replace(/=+$/, '')}x`), 'the key after ssh-rsa is not base64');
  });
  test('the fixtures of old: a type and a short made-up blob', () => {
    assert.equal(keyLineProblem('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixtureKeyOne one@test'), 'the key after ssh-ed25519 is not base64');
    assert.equal(keyLineProblem('ssh-ed25519 AAAA key'), 'the key after ssh-ed25519 is not a ssh-ed25519 public key: it is cut short');
  });
  test('an RSA modulus under 1024 bits (ssh-keygen makes none; 1024 passes)', () => {
    assert.equal(keyLineProblem(sshKeygen('rsa', ['-b', '1024']).public), undefined);
    const n512 = Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 0xc5)]);
    assert.equal(keyLineProblem(`ssh-rsa ${wire('ssh-rsa', Buffer.from([1, 0, 1]), n512)}`), 'the key after ssh-rsa is not a ssh-rsa public key: its RSA modulus has 512 bits (sshd takes at least 1024)');
  });
  test('an Ed25519 key of the wrong length, an ECDSA key of another curve', () => {
    assert.equal(keyLineProblem(`ssh-ed25519 ${wire('ssh-ed25519', Buffer.alloc(31, 1))}`), 'the key after ssh-ed25519 is not a ssh-ed25519 public key: its Ed25519 key is 31 bytes, not 32');
    const point = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]);
    assert.equal(keyLineProblem(`ecdsa-sha2-nistp384 ${wire('ecdsa-sha2-nistp384', 'nistp256', point)}`), 'the key after ecdsa-sha2-nistp384 is not a ecdsa-sha2-nistp384 public key: its curve is not nistp384');
  });
  test('options sshd refuses', () => {
    assert.equal(keyLineProblem(`bogus ${ed25519.public}`), 'unknown option bogus');
    assert.equal(keyLineProblem(`no-restrict ${ed25519.public}`), 'unknown option no-restrict');
    assert.equal(keyLineProblem(`ptyx ${ed25519.public}`), 'unknown option ptyx');
    assert.equal(keyLineProblem(`command=ls ${ed25519.public}`), 'the value of the option command= is not in "quotes"');
    assert.equal(keyLineProblem(`restrict, ${ed25519.public}`), 'the options end in a comma');
    assert.equal(keyLineProblem(`command="ls ${ed25519.public}`), 'not a public key: a " in its options is never closed');
  });
  test('anything else: a comment-less word, an id line, an empty-looking line', () => {
    assert.equal(keyLineProblem('hello'), NOT_A_KEY);
    assert.equal(keyLineProblem('AAAAC3NzaC1lZDI1NTE5AAAAI'), NOT_A_KEY);
  });
});
