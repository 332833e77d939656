import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runChecks } from '../../../src/checks/index.js';
import { etcdAccessFor, etcdctl, etcdctlCommand, etcdGet } from '../../../src/etcdctl/client.js';
import type { EtcdAccess } from '../../../src/etcdctl/client.js';
import { detectApis } from '../../../src/etcdctl/detect.js';
import { etcdctlError } from '../../../src/etcdctl/parse.js';
import { gatherEtcd } from '../../../src/facts/gatherers/etcd.js';
import { localTransport } from '../../../src/transport/local.js';
import type { Transport } from '../../../src/transport/types.js';
import { sudoRefusal, withoutSudoWarnings } from '../../../src/util/become.js';
import { facts, inventory, node } from '../../fixtures/facts/builders.js';

const TLS = { endpoints: ['https://127.0.0.1:2379'], caFile: '/etc/ssl/etcd/ca.pem', certFile: '/etc/ssl/etcd/client.pem', keyFile: '/etc/ssl/etcd/client-key.pem' };
const sudoAccess: EtcdAccess = { ...TLS, as: { node: 'lab-node-1', user: 'core', become: 'sudo' } };
const userAccess: EtcdAccess = { ...TLS, as: { node: 'lab-node-1', user: 'core', become: 'none' } };

// This machine's sh, with stand-ins for sudo and etcdctl first in PATH: sudo refuses, or runs
// the command after `-n --` (warning that it cannot resolve the host, as on a badly named node);
// etcdctl says which API and arguments it got, or that the client key is root-only.
function node_(sudo: 'refuse' | 'allow', etcdctl: 'ok' | 'denied'): Transport & { log: () => string } {
  const bin = mkdtempSync(join(tmpdir(), 'cclbecome-'));
  writeFileSync(join(bin, 'log'), '');
  const allow = 'echo "sudo: unable to resolve host lab-node-1: Name or service not known" >&2; [ "$1 $2" = "-n --" ] || exit 1; shift 2; exec "$@"';
  writeFileSync(join(bin, 'sudo'), `#!/bin/sh\necho "sudo $*" >> ${bin}/log\n${sudo === 'refuse' ? "echo 'sudo: a password is required' >&2; exit 1" : allow}\n`, { mode: 0o755 });
  const ok = 'echo "{\\"api\\": \\"$ETCDCTL_API\\"}"';
  const denied = 'echo "Error: open /etc/ssl/etcd/client-key.pem: permission denied" >&2; exit 128';
  writeFileSync(join(bin, 'etcdctl'), `#!/bin/sh\necho "etcdctl API=$ETCDCTL_API $*" >> ${bin}/log\n${etcdctl === 'ok' ? ok : denied}\n`, { mode: 0o755 });
  const t = localTransport();
  return { exec: (cmd, o) => t.exec(`PATH=${bin}:$PATH\n${cmd}`, o), close: () => t.close(), log: () => execFileSync('cat', [join(bin, 'log')], { encoding: 'utf8' }) };
}

describe('become: sudo for etcdctl', () => {
  test('the inventory node decides: etcdAccessFor carries node, user and become', () => {
    const n = node({ become: 'sudo', user: 'core' });
    assert.deepEqual(etcdAccessFor(n, inventory([n])).as, { node: 'lab-node-1', user: 'core', become: 'sudo' });
  });

  test('the command line is `sudo -n -- env ETCDCTL_API=N etcdctl …` (sudo resets the environment)', () => {
    assert.match(etcdctlCommand(sudoAccess, 'v3', ['member', 'list'], 5000), /^sudo -n -- env ETCDCTL_API=3 etcdctl --endpoints=https:\/\/127\.0\.0\.1:2379 --cacert=\/etc\/ssl\/etcd\/ca\.pem .* member list$/);
    assert.match(etcdctlCommand(sudoAccess, 'v2', ['ls', '/'], 5000), /^sudo -n -- env ETCDCTL_API=2 etcdctl .*--ca-file=/);
    assert.match(etcdctlCommand(userAccess, 'v3', ['member', 'list'], 5000), /^ETCDCTL_API=3 etcdctl /);
    assert.match(etcdctlCommand(TLS, 'v3', ['member', 'list'], 5000), /^ETCDCTL_API=3 etcdctl /);
  });

  test('sudo runs it: etcdctl gets its API and arguments, and sudo\'s hostname warning is not etcdctl\'s', async () => {
    const t = node_('allow', 'ok');
    const r = await etcdctl(t, sudoAccess, 'v3', ['-w', 'json', 'get', '--', '/k'], 5000);
    assert.deepEqual(r, { stdout: '{"api": "3"}\n', stderr: '', code: 0, timedOut: false });
    assert.match(t.log(), /^sudo -n -- env ETCDCTL_API=3 etcdctl --endpoints=https:\/\/127\.0\.0\.1:2379 .* -w json get -- \/k\netcdctl API=3 --endpoints/);
  });

  test('sudo refusing is one clear error: node, command, fix; v3\'s refusal decides, whatever v2 said', async () => {
    const t = node_('refuse', 'ok');
    const e = await gatherEtcd(t, sudoAccess, 10_000);
    assert.equal(e.blocked, 'sudo refused `sudo -n -- env ETCDCTL_API=3 etcdctl -w json member list` on lab-node-1: sudo: a password is required; add a NOPASSWD rule for core (sudoers, see docs/trust.md), or set become: none');
    const n = node({ roles: ['etcd'], become: 'sudo' });
    const results = runChecks(n, facts({ etcd: e }), { inventory: inventory([n]) }).filter((r) => r.id.startsWith('etcd.'));
    assert.deepEqual(results.map((r) => [r.id, r.status]), [['etcd.health', 'error'], ['etcd.members', 'error']]);
    assert.match(results[0]?.message ?? '', /^Could not check: sudo refused .* add a NOPASSWD rule for core/);
  });

  test('smoke-etcd\'s API detection says the refusal once, not per API', async () => {
    const d = await detectApis(node_('refuse', 'ok'), sudoAccess, 10_000);
    assert.match(d.error ?? '', /^sudo refused `sudo -n -- env ETCDCTL_API=3 etcdctl get --limit=1 --keys-only -- \/` on lab-node-1: sudo: a password is required; add a NOPASSWD rule for core/);
  });

  test('without become, a root-only client key says which file and suggests become: sudo', async () => {
    const t = node_('refuse', 'denied');
    const e = await gatherEtcd(t, userAccess, 10_000);
    assert.equal(e.blocked, 'etcdctl exited 128: Error: open /etc/ssl/etcd/client-key.pem: permission denied; core may not read it: set become: sudo for this node (with a NOPASSWD sudo rule, see docs/trust.md)');
    assert.doesNotMatch(t.log(), /^sudo/m, 'become: none never runs sudo');
    const read = await etcdGet(t, userAccess, 'v2', '/coreos.com/network/config', 5000);
    assert.deepEqual(read, { ok: false, error: 'etcdctl exited 128: Error: open /etc/ssl/etcd/client-key.pem: permission denied; core may not read it: set become: sudo for this node (with a NOPASSWD sudo rule, see docs/trust.md)' });
  });
});

describe('sudo\'s words', () => {
  test('refusals are found; the hostname warning and etcdctl\'s own errors are not refusals', () => {
    for (const line of ['sudo: a password is required', "Sorry, user core is not allowed to execute '/usr/bin/id' as root on lab-node-1.", 'sh: 1: sudo: not found', 'bash: line 1: sudo: command not found', 'core is not in the sudoers file.  This incident will be reported.']) {
      assert.equal(sudoRefusal(`sudo: unable to resolve host x: Name or service not known\n${line}\n`), line);
    }
    assert.equal(sudoRefusal('sudo: unable to resolve host x: Name or service not known\nError: context deadline exceeded\n'), null);
    assert.equal(withoutSudoWarnings('sudo: unable to resolve host x: y\nError: z\n'), 'Error: z\n');
    assert.equal(etcdctlError({ stdout: '', stderr: 'x', code: 1, timedOut: false, refused: 'sudo refused it' }), 'sudo refused it');
  });
});
