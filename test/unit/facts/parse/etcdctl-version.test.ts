import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseEtcdctlVersion, parseFlanneldVersion } from '../../../../src/facts/parse/etcdctl-version.js';

const etcd = (name: string) => readFileSync(new URL(`../../../fixtures/etcd/${name}`, import.meta.url), 'utf8');
const flannel = (name: string) => readFileSync(new URL(`../../../fixtures/flannel/${name}`, import.meta.url), 'utf8');

describe('etcdctl version', () => {
  test('3.4 `etcdctl version` (captured): v3 by default', () => {
    assert.deepEqual(parseEtcdctlVersion(etcd('etcdctl34-version.out')), { ok: true, value: { version: '3.4.23', major: 3, minor: 4, defaultApi: 'v3', apiVersion: '3.4' } });
  });
  test('3.3 `etcdctl --version` (hand-made from ctlv2/ctl.go): v2 by default', () => {
    assert.deepEqual(parseEtcdctlVersion(etcd('etcdctl33-version.out')), { ok: true, value: { version: '3.3.13', major: 3, minor: 3, defaultApi: 'v2', apiVersion: '2' } });
  });
  test('3.4 with ETCDCTL_API=2 (captured) prints API version 2', () => {
    const r = parseEtcdctlVersion(etcd('etcdctl34-v2-version.out'));
    assert.equal(r.ok && r.value.defaultApi, 'v2');
  });
  test('3.3 `etcdctl version` in v2 mode is not a version', () => {
    assert.equal(parseEtcdctlVersion(etcd('etcdctl33-version-v3cmd.err')).ok, false);
    assert.equal(parseEtcdctlVersion('').ok, false);
  });
});

describe('flanneld --version', () => {
  test('the version line, with or without v', () => {
    assert.deepEqual(parseFlanneldVersion(flannel('flanneld-version.txt')), { ok: true, value: 'v0.14.0' });
    assert.deepEqual(parseFlanneldVersion('I0101 log line\n0.22.3\n'), { ok: true, value: '0.22.3' });
    assert.equal(parseFlanneldVersion('flanneld: command not found').ok, false);
  });
});
