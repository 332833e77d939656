import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseJump, parseSshConfig } from '../../../src/transport/ssh-config.js';
import { HOME, config } from '../../fixtures/transport/ssh-config.js';

describe('~/.ssh/config through the ssh-config package', () => {
  test('Host patterns, first value wins, tokens and ~ expanded, repeated IdentityFile kept in order', () => {
    assert.deepEqual(config.lookup('node-1'), {
      hostName: 'node-1.lab.test',
      user: 'admin',
      port: 2222,
      identityFiles: ['/home/tester/.ssh/lab_key', '/home/tester/.ssh/second_key', ],
      proxyJump: 'bastion',
      userKnownHostsFiles: ['/home/tester/.ssh/lab_known_hosts', '/etc/ssh/lab_known_hosts'],
      strictHostKeyChecking: 'accept-new',
      connectTimeoutMs: 3000,
    });
    assert.deepEqual(config.lookup('other'), { user: 'fallback', port: 2200 });
  });

  test('Match host sections apply; ProxyJump none means direct', () => {
    const e = config.lookup('a.direct.test');
    assert.equal(e.user, 'matcher');
    assert.equal(e.proxyJump, 'none');
    assert.equal(parseJump('none'), undefined);
  });

  test('ProxyJump forms; more than one hop is refused with what to do', () => {
    assert.deepEqual(parseJump('bastion'), { host: 'bastion' });
    assert.deepEqual(parseJump('ops@10.0.0.1:2222'), { host: '10.0.0.1', user: 'ops', port: 2222 });
    assert.deepEqual(parseJump('[fe80::1]:22'), { host: 'fe80::1', port: 22 });
    assert.throws(() => parseJump('a,b'), /supports one jump host/);
  });

  test('Include and Match exec are reported, never followed or run', () => {
    const c = parseSshConfig('Include ~/.ssh/conf.d/*\nMatch exec "touch /tmp/should-not-exist"\n  User x\n', '/c', HOME);
    assert.equal(c.warnings.length, 2);
    assert.equal(c.lookup('h').user, undefined);
  });
});
