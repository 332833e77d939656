import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePing } from '../../../../src/facts/parse/ping.js';

// iputils-ping 20221126 (Debian 12's iputils-ping), captured in two network namespaces with the
// kernel's vxlan programmed as flanneld's vxlan backend programs it (test/lab/capture-ping.sh).
const fixture = (name: string) => ({
  text: readFileSync(new URL(`../../../fixtures/ping/${name}.txt`, import.meta.url), 'utf8'),
  rc: Number(readFileSync(new URL(`../../../fixtures/ping/${name}.rc`, import.meta.url), 'utf8').trim()),
});
const parse = (name: string) => {
  const f = fixture(name);
  return parsePing(f.text, f.rc);
};

describe('parsePing on iputils-ping\'s real output', () => {
  test('a reply, small and with don\'t-fragment at FLANNEL_MTU − 28', () => {
    assert.deepEqual(parse('reply'), { ok: true });
    assert.deepEqual(parse('df-reply'), { ok: true });
  });
  test('one byte over flannel.1\'s MTU: the local error and its mtu', () => {
    assert.deepEqual(parse('df-local-error'), { ok: false, why: 'ping: local error: message too long, mtu=1450', mtu: 1450 });
  });
  test('no reply (a peer behind an underlay MTU of 1400): the statistics say so', () => {
    assert.deepEqual(parse('df-no-reply'), { ok: false, why: '1 sent, 0 received' });
  });
  test('no route: ping\'s own words, exit 2', () => {
    assert.deepEqual(parse('unreachable'), { ok: false, why: 'ping: connect: Network is unreachable' });
  });
  test('Frag needed from a router names the path MTU', () => {
    const text = 'PING 10.1.2.0 (10.1.2.0) 1422(1450) bytes of data.\nFrom 10.1.1.0 icmp_seq=1 Frag needed and DF set (mtu = 1350)\n\n--- 10.1.2.0 ping statistics ---\n1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n';
    assert.deepEqual(parsePing(text, 1), { ok: false, why: 'From 10.1.1.0 icmp_seq=1 Frag needed and DF set (mtu = 1350)', mtu: 1350 });
  });
  test('hostile text: exit 0 without a reply is no answer; a claimed reply with exit 1 is none either; words are bounded', () => {
    assert.equal(parsePing('nothing to see\n', 0).ok, false);
    assert.equal(parsePing('64 bytes from 10.1.2.0: icmp_seq=1 ttl=64 time=0.1 ms\n', 1).ok, false);
    assert.equal(parsePing(`ping: ${'x'.repeat(5000)}`, 2).why?.length, 200);
    assert.deepEqual(parsePing('', 127), { ok: false, why: 'ping: not found' });
  });
});
