import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { keysOfFile, loginUser } from '../../../src/render/users.js';
import { readFileSync } from 'node:fs';
import { node } from '../../fixtures/facts/builders.js';
import { ed25519Line } from '../../fixtures/render/keys.js';
import { sshCertificate, sshKeygen } from '../../helpers/ssh-keygen.js';

const K1 = ed25519Line('one');
const K2 = ed25519Line('two');

describe('keysOfFile', () => {
  test('key lines only: blank lines, comments and CRLF endings dropped', () => {
    assert.deepEqual(keysOfFile(`# my keys\r\n${K1}\r\n\r\n   \n${K2}\n`), { keys: [K1, K2], problems: [] });
  });
  test('what ssh-keygen writes: ed25519, rsa, ecdsa, a certificate, with options', () => {
    const ed = sshKeygen('ed25519');
    const lines = [ed.public, sshKeygen('rsa', ['-b', '2048']).public, sshKeygen('ecdsa').public, sshCertificate(ed), `restrict,command="uptime" ${ed.public}`];
    assert.deepEqual(keysOfFile(`${lines.join('\n')}\n`), { keys: lines, problems: [] });
  });
  test('a private key is one problem at its first line, its body unread', () => {
    const key = sshKeygen('ed25519');
    const text = `${K1}\n${readFileSync(key.private, 'utf8')}${K2}\n`;
    assert.deepEqual(keysOfFile(text), { keys: [K1, K2], problems: [{ line: 2, message: 'a private key (BEGIN OPENSSH PRIVATE KEY): give the public key, the .pub file beside it' }] });
  });
  test('a PEM RSA key (ssh-keygen -m PEM) too', () => {
    const key = sshKeygen('rsa', ['-b', '2048', '-m', 'PEM']);
    const r = keysOfFile(readFileSync(key.private, 'utf8'));
    assert.deepEqual(r.problems, [{ line: 1, message: 'a private key (BEGIN RSA PRIVATE KEY): give the public key, the .pub file beside it' }]);
  });
  test('every other line that is not a key, by its line number', () => {
    const r = keysOfFile(`${K1}\nnot a key\n# fine\nssh-ed25519 AAAA x\n`);
    assert.deepEqual(r.problems.map((p) => p.line), [2, 4]);
    assert.deepEqual(r.keys, [K1]);
  });
});

describe('loginUser', () => {
  test('inline keys, then the file\'s, each once, for the node\'s login user', () => {
    const n = node({ user: 'core', sshAuthorizedKeys: [K1], sshAuthorizedKeysFile: '/keys' });
    assert.deepEqual(loginUser(n, new Map([['/keys', [K2, K1]]])), { name: 'core', sshAuthorizedKeys: [K1, K2] });
  });
  test('the login user is the inventory\'s user', () => {
    assert.equal(loginUser(node({ user: 'admin', sshAuthorizedKeys: [K1] }), new Map())?.name, 'admin');
  });
  test('no key at all: no user entry (the command notes it)', () => {
    assert.equal(loginUser(node(), new Map()), undefined);
    assert.equal(loginUser(node({ sshAuthorizedKeysFile: '/empty' }), new Map([['/empty', []]])), undefined);
  });
});
