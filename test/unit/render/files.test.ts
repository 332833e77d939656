import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostnameFile } from '../../../src/render/files.js';
import { node } from '../../fixtures/facts/builders.js';

test('/etc/hostname: the inventory hostname (not the node name), mode 0644, one line', () => {
  assert.deepEqual(hostnameFile(node({ name: 'n1', hostname: 'app-etcd-1' })), { path: '/etc/hostname', mode: 0o644, contents: 'app-etcd-1\n' });
});
