import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { keysOfFile, loginUser } from '../../../src/render/users.js';
import { node } from '../../fixtures/facts/builders.js';

const K1 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyOne one@test';
const K2 = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQKeyTwo two@test';

describe('keysOfFile', () => {
  test('key lines only: blank lines, comments and CRLF endings dropped', () => {
    assert.deepEqual(keysOfFile(`# my keys\r\n${K1}\r\n\r\n   \n${K2}\n`), [K1, K2]);
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
