import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { fingerprint, hostLookupName, hostsFieldMatches, keyTypeOf, linesFor, parseKnownHosts, verifyHostKey } from '../../../src/transport/known-hosts.js';

// A real ed25519 public key blob (ssh-keygen output), and a second one.
const KEY_A = 'AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ';
const KEY_B = 'AAAAC3NzaC1lZDI1NTE5AAAAIA9/8mXpvN+oyXUSvzrWTpZ6OHeCkOOMHiTTdJ7TPP1e';
const blob = (b64: string) => Buffer.from(b64, 'base64');

function hashed(name: string, salt = Buffer.from('0123456789abcdef0123')): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts', () => {
  test('lookup name is plain for port 22 and [host]:port otherwise', () => {
    assert.equal(hostLookupName('10.0.0.1', 22), '10.0.0.1');
    assert.equal(hostLookupName('node1', 2222), '[node1]:2222');
  });

  test('parses markers, comments and blank lines with their line numbers', () => {
    const lines = parseKnownHosts(`# comment\n\nnode1 ssh-ed25519 ${KEY_A}\n@revoked * ssh-ed25519 ${KEY_B}\n@cert-authority *.lab ssh-ed25519 ${KEY_B}\n`, 'kh');
    assert.deepEqual(
      lines.map((l) => [l.line, l.marker, l.hosts, l.keyType]),
      [
        [3, null, 'node1', 'ssh-ed25519'],
        [4, 'revoked', '*', 'ssh-ed25519'],
        [5, 'cert-authority', '*.lab', 'ssh-ed25519'],
      ],
    );
  });

  test('patterns: lists, wildcards, negation, hashed', () => {
    assert.equal(hostsFieldMatches('a,node1,b', 'node1'), true);
    assert.equal(hostsFieldMatches('node?', 'node7'), true);
    assert.equal(hostsFieldMatches('node?', 'node17'), false);
    assert.equal(hostsFieldMatches('*.lab,!bad.lab', 'good.lab'), true);
    assert.equal(hostsFieldMatches('*.lab,!bad.lab', 'bad.lab'), false);
    assert.equal(hostsFieldMatches('NODE1', 'node1'), true);
    assert.equal(hostsFieldMatches(hashed('[node1]:2222'), '[node1]:2222'), true);
    assert.equal(hostsFieldMatches(hashed('[node1]:2222'), 'node1'), false);
    assert.equal(hostsFieldMatches('a.b', 'aXb'), false); // dots are literal
  });

  test('verdicts: match, changed (with file and line), unknown with other types, revoked', () => {
    const lines = parseKnownHosts(`node1 ssh-ed25519 ${KEY_A}\nnode2 ssh-rsa ${KEY_A}\n${hashed('node3')} ssh-ed25519 ${KEY_B}\n`, '/kh');
    assert.equal(verifyHostKey(lines, 'node1', 'ssh-ed25519', blob(KEY_A)).kind, 'match');
    const changed = verifyHostKey(lines, 'node1', 'ssh-ed25519', blob(KEY_B));
    assert.equal(changed.kind, 'changed');
    assert.equal(changed.kind === 'changed' && `${changed.entry.file}:${changed.entry.line}`, '/kh:1');
    assert.deepEqual(verifyHostKey(lines, 'node2', 'ssh-ed25519', blob(KEY_B)), { kind: 'unknown', otherTypes: ['ssh-rsa'], certAuthorityIgnored: false });
    assert.equal(verifyHostKey(lines, 'node3', 'ssh-ed25519', blob(KEY_B)).kind, 'match');
    const revoked = parseKnownHosts(`@revoked * ssh-ed25519 ${KEY_A}\nnode1 ssh-ed25519 ${KEY_A}\n`, '/kh');
    assert.equal(verifyHostKey(revoked, 'node1', 'ssh-ed25519', blob(KEY_A)).kind, 'revoked');
  });

  test('lookups keep file order across plain, wildcard and hashed lines', () => {
    const lines = parseKnownHosts(
      [`*.lab ssh-ed25519 ${KEY_B}`, `n1.lab ssh-ed25519 ${KEY_A}`, `${hashed('n1.lab')} ssh-rsa ${KEY_A}`, `N1.LAB,other ssh-ed25519 ${KEY_A}`, `n1.lab,!n1.lab ssh-ed25519 ${KEY_A}`].join('\n'),
      '/kh',
    );
    assert.deepEqual(linesFor(lines, 'n1.lab').map((l) => l.line), [1, 2, 3, 4]);
    assert.deepEqual(linesFor(lines, 'other').map((l) => l.line), [4]);
    // A changed key names the first line of its type in the file: here the hashed one, before the plain one.
    const two = parseKnownHosts(`${hashed('n1.lab')} ssh-ed25519 ${KEY_B}\nn1.lab ssh-ed25519 ${KEY_B}\n`, '/kh');
    const v = verifyHostKey(two, 'n1.lab', 'ssh-ed25519', blob(KEY_A));
    assert.equal(v.kind === 'changed' && v.entry.line, 1);
  });

  test('lines added to a view after a lookup (accept-new pins) are found by the next one', () => {
    const lines = parseKnownHosts(`node1 ssh-ed25519 ${KEY_A}\n`, '/kh');
    assert.equal(verifyHostKey(lines, 'node2', 'ssh-ed25519', blob(KEY_B)).kind, 'unknown');
    lines.push({ ...parseKnownHosts(`node2 ssh-ed25519 ${KEY_B}\n`, '/kh')[0]!, line: 2, pinned: true });
    assert.equal(verifyHostKey(lines, 'node2', 'ssh-ed25519', blob(KEY_B)).kind, 'match');
    assert.deepEqual(linesFor(lines, 'NODE2').map((l) => [l.line, l.pinned]), [[2, true]]);
  });

  test('1,000 nodes looked up in a 1,000-line view: no pattern is compiled per lookup', () => {
    const names = Array.from({ length: 1000 }, (_, i) => `198.18.${1 + Math.floor(i / 200)}.${11 + (i % 200)}`);
    const lines = parseKnownHosts(names.map((n, i) => `${n} ssh-ed25519 ${i % 2 ? KEY_A : KEY_B}`).join('\n'), '/kh');
    const Original = globalThis.RegExp;
    let compiled = 0;
    globalThis.RegExp = new Proxy(Original, { construct: (target, args) => (compiled++, Reflect.construct(target, args)) });
    try {
      names.forEach((n, i) => assert.equal(verifyHostKey(lines, n, 'ssh-ed25519', blob(i % 2 ? KEY_A : KEY_B)).kind, 'match'));
    } finally {
      globalThis.RegExp = Original;
    }
    // A scan compiling each line's pattern for each lookup made 1,000,000.
    assert.equal(compiled, 0);
  });

  test('@cert-authority lines are never used as keys, and are reported', () => {
    const lines = parseKnownHosts(`@cert-authority node1 ssh-ed25519 ${KEY_A}\n`, '/kh');
    assert.deepEqual(verifyHostKey(lines, 'node1', 'ssh-ed25519', blob(KEY_A)), { kind: 'unknown', otherTypes: [], certAuthorityIgnored: true });
  });

  test('fingerprint and key type as ssh-keygen prints them', () => {
    assert.equal(keyTypeOf(blob(KEY_A)), 'ssh-ed25519');
    assert.equal(fingerprint(blob(KEY_A)), 'SHA256:T7SvZ2cslqpPj6nKzitCBHHlpVF3r3MvLwmFL0fk0IE'); // ssh-keygen -lf
  });
});
