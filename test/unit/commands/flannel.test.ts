import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flannelSetCommand } from '../../../src/commands/flannel.js';
import { etcdctlCommand } from '../../../src/etcdctl/client.js';
import { PROBE } from '../../../src/facts/probe.js';
import type { NodeSpec } from '../../../src/inventory/types.js';
import { fakeTransport, probeOutput } from '../../helpers/fake-transport.js';
import { splitNonce, withRequestNonce } from '../../helpers/nonce.js';
import type { FakeAnswer, FakeTransport } from '../../helpers/fake-transport.js';
import { fakeEtcd } from '../../fixtures/etcd/fake-etcd.js';
import type { FakeEtcd, FakeOptions } from '../../fixtures/etcd/fake-etcd.js';

const KEY = '/coreos.com/network/config';
const OLD = '{"Network": "10.1.0.0/16"}';
const access = { endpoints: ['http://127.0.0.1:2379'] };
const T = 5000;
const etcd = (api: 'v2' | 'v3', ...args: string[]) => etcdctlCommand(access, api, args, T);

let file = '';
before(() => {
  file = join(mkdtempSync(join(tmpdir(), 'flannel-set-')), 'inventory.yaml');
  writeFileSync(file, `cluster:\n  flannel: { network: 10.1.0.0/16 }\nnodes:\n` +
    ['e1 198.18.1.11 [etcd, master]', 'w2 198.18.1.12 [worker]'].map((l) => {
      const [name, ip, roles] = l.split(' ');
      return `  - name: ${name}\n    host: ${ip}\n    roles: ${l.slice(l.indexOf('['))}\n    network: { interface: eth0, address: ${ip}/24, gateway: 198.18.1.1 }\n`.replace(`${roles}`, roles ?? '');
    }).join(''));
});

const probe = (ip: string) => probeOutput({
  addresses: { fmt: 'json', body: JSON.stringify([{ ifname: 'eth0', addr_info: [{ family: 'inet', local: ip, prefixlen: 24 }] }]) },
  routes: { fmt: 'json', body: JSON.stringify([{ dst: 'default', gateway: '198.18.1.1', dev: 'eth0' }]) },
});

// Every node answers the probe; e1 also holds the key in v2, and v3 has none.
function cluster(extra: Record<string, FakeAnswer> = {}, dead: string[] = []) {
  const made: FakeTransport[] = [];
  const connect = async (n: NodeSpec) => {
    if (dead.includes(n.name)) throw new Error('connection refused (is sshd running on the node?)');
    const t = fakeTransport({
      [PROBE]: { stdout: probe(n.host) },
      [etcd('v2', 'get', '--', KEY)]: { stdout: `${OLD}\n` },
      [etcd('v3', '-w', 'json', 'get', '--', KEY)]: { stdout: '{"header":{"revision":1},"count":0}\n' },
      ...extra,
    });
    made.push(t);
    return t;
  };
  return { connect, made };
}

function io() {
  let out = '';
  return { read: () => out, io: { stdout: { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream, stderr: process.stderr, env: {}, signal: new AbortController().signal } };
}
const opts = (network: string, over = {}) => ({ inventory: file, network, dryRun: false, connectTimeoutMs: T, commandTimeoutMs: T, ...over });
const sets = (made: FakeTransport[]) => made.flatMap((t) => t.commands).filter((c) => c !== PROBE && / (set|put) /.test(c));

describe('flannel set (fake nodes)', () => {
  test('an overlapping Network is refused, naming node, interface and both ranges; no etcd command runs', async () => {
    const c = cluster();
    const o = io();
    assert.equal(await flannelSetCommand(opts('198.18.0.0/16'), o.io, c.connect), 1);
    assert.match(o.read(), /^refused: Network 198\.18\.0\.0\/16 overlaps \d+ host ranges; nothing was written:/);
    assert.match(o.read(), /  w2: eth0 address 198\.18\.1\.12\/24 \(198\.18\.1\.0\/24\) overlaps flannel Network 198\.18\.0\.0\/16/);
    assert.equal(c.made.flatMap((t) => t.commands).filter((cmd) => cmd !== PROBE && cmd.includes('etcdctl')).length, 0);
  });
  test('a node that cannot be gathered: refused, since an overlap cannot be ruled out', async () => {
    const c = cluster({}, ['w2']);
    const o = io();
    assert.equal(await flannelSetCommand(opts('10.2.0.0/16'), o.io, c.connect), 1);
    assert.match(o.read(), /could not gather facts from every node[^\n]*\n  w2: cannot connect to w2 \(198\.18\.1\.12\): connection refused/);
    assert.deepEqual(sets(c.made), []);
  });
  test('--dry-run: old → new for the keyspace the flannels read (v2: no version found), nothing written', async () => {
    const c = cluster();
    const o = io();
    assert.equal(await flannelSetCommand(opts('10.2.0.0/16', { dryRun: true }), o.io, c.connect), 0);
    assert.match(o.read(), /^keyspace v2: flannel reads it \(e1, w2: no flannel version found on the node/m);
    assert.ok(o.read().includes(`${KEY} (v2) through e1: ${OLD} → {"Network":"10.2.0.0/16"}`), o.read());
    assert.ok(!o.read().includes(`(v3) through`), 'v3 holds no key and no flannel reads it');
    assert.match(o.read(), /warning: the inventory says cluster\.flannel\.network 10\.1\.0\.0\/16/);
    assert.deepEqual(sets(c.made), []);
  });
  test('flannel reads v2 but etcd does not serve it: refused with the --enable-v2 hint, nothing written', async () => {
    const c = cluster({ [etcd('v2', 'get', '--', KEY)]: { stderr: 'Error:  response is invalid json\n', code: 4 } });
    const o = io();
    assert.equal(await flannelSetCommand(opts('10.2.0.0/16'), o.io, c.connect), 1);
    assert.match(o.read(), /^refused: flannel reads the v2 keyspace \(e1, w2: .*\), but etcd does not serve v2: start etcd with --enable-v2 .*; nothing was written$/m);
    assert.deepEqual(sets(c.made), []);
  });
  test('a node whose flanneld.service has the setup guide drop-in: warned that the next restart overwrites the value, naming the file', async () => {
    const guide = probeOutput({
      addresses: { fmt: 'json', body: JSON.stringify([{ ifname: 'eth0', addr_info: [{ family: 'inet', local: '198.18.1.11', prefixlen: 24 }] }]) },
      'flannel.unit': { body: `# /usr/lib/systemd/system/flanneld.service\n[Service]\nEnvironment="FLANNEL_IMAGE_TAG=v0.11.0"\n\n# /etc/systemd/system/flanneld.service.d/50-network-config.conf\n[Service]\nExecStartPre=/usr/bin/etcdctl set ${KEY} '${OLD}'\n` },
    });
    const c = cluster();
    const connect = async (n: NodeSpec) => {
      const t = await c.connect(n);
      if (n.name !== 'e1') return t;
      const exec = t.exec.bind(t);
      t.exec = async (cmd, o) => (splitNonce(cmd).script === PROBE ? (t.commands.push(PROBE), { stdout: withRequestNonce(guide, splitNonce(cmd).nonce), stderr: '', code: 0, timedOut: false }) : exec(cmd, o));
      return t;
    };
    const o = io();
    assert.equal(await flannelSetCommand(opts('10.2.0.0/16', { dryRun: true }), o.io, connect), 0);
    assert.match(o.read(), /^warning: e1's drop-in \/etc\/systemd\/system\/flanneld\.service\.d\/50-network-config\.conf writes \{"Network": "10\.1\.0\.0\/16"\} to \/coreos\.com\/network\/config at every start of flanneld: the next restart of flanneld on e1 overwrites this value; change the drop-in to the new value or remove it$/m);
    assert.match(o.read(), /e1: flannel v0\.11\.0 \(FLANNEL_IMAGE_TAG=v0\.11\.0 in \/usr\/lib\/systemd\/system\/flanneld\.service\) reads v2/);
  });
  test('a write whose read-back differs fails (exit 1)', async () => {
    const NEW = '{"Network":"10.2.0.0/16"}';
    const c = cluster({ [etcd('v2', 'set', `--swap-with-value=${OLD}`, '--', KEY, NEW)]: { stdout: `${NEW}\n` } });
    const o = io();
    assert.equal(await flannelSetCommand(opts('10.2.0.0/16'), o.io, c.connect), 1);
    assert.match(o.read(), /read back \(v2\) does not match: \{"Network": "10\.1\.0\.0\/16"\}/);
    assert.deepEqual(sets(c.made), [etcd('v2', 'set', `--swap-with-value=${OLD}`, '--', KEY, NEW)]);
  });
  test('invalid input is a usage error before anything connects', async () => {
    const c = cluster();
    await assert.rejects(flannelSetCommand(opts('10.2.3.0/16'), io().io, c.connect), /host bits set; did you mean 10\.2\.0\.0\/16\?/);
    assert.equal(c.made.length, 0);
  });
});

describe('flannel get (fake nodes): the same keyspace resolution as flannel.config', () => {
  const NEWER = '{"Network": "10.7.0.0/16"}';
  const v3With = (value: string) => JSON.stringify({ header: { revision: 1 }, kvs: [{ key: Buffer.from(KEY).toString('base64'), value: Buffer.from(value).toString('base64') }], count: 1 });
  // Every node's flanneld.service pins flannel TAG; the v2 keyspace holds OLD, v3 holds NEWER.
  function pinned(tag: string) {
    const unit = `# /usr/lib/systemd/system/flanneld.service\n[Service]\nEnvironment="FLANNEL_IMAGE_TAG=${tag}"\n`;
    const c = cluster({ [etcd('v3', '-w', 'json', 'get', '--', KEY)]: { stdout: v3With(NEWER) } });
    const connect = async (n: NodeSpec) => {
      const t = await c.connect(n);
      const exec = t.exec.bind(t);
      const out = probeOutput({ addresses: { fmt: 'json', body: JSON.stringify([{ ifname: 'eth0', addr_info: [{ family: 'inet', local: n.host, prefixlen: 24 }] }]) }, 'flannel.unit': { body: unit } });
      t.exec = async (cmd, o) => (splitNonce(cmd).script === PROBE ? (t.commands.push(PROBE), { stdout: withRequestNonce(out, splitNonce(cmd).nonce), stderr: '', code: 0, timedOut: false }) : exec(cmd, o));
      return t;
    };
    return connect;
  }
  const getOpts = { inventory: '', connectTimeoutMs: T, commandTimeoutMs: T };
  test('flannel ≥ 0.18 on every node: the v3 value, not v2 (which get used to prefer)', async () => {
    const { flannelGetCommand } = await import('../../../src/commands/flannel.js');
    const o = io();
    assert.equal(await flannelGetCommand({ ...getOpts, inventory: file, json: true }, o.io, pinned('v0.18.1')), 1, 'valid, but not the inventory\'s Network');
    const j = JSON.parse(o.read()) as { api: string; value: string; where: string };
    assert.equal(j.api, 'v3');
    assert.equal(j.value, NEWER);
    assert.match(j.where, /in the v3 keyspace, which flannel reads \(v3: e1, w2: flannel v0\.18\.1/);
  });
  test('flannel 0.11: the v2 value, with a warning that v3 holds another', async () => {
    const { flannelGetCommand } = await import('../../../src/commands/flannel.js');
    const o = io();
    assert.equal(await flannelGetCommand({ ...getOpts, inventory: file }, o.io, pinned('v0.11.0')), 0);
    assert.match(o.read(), /^\/coreos\.com\/network\/config in the v2 keyspace, which flannel reads \(v2: e1, w2: flannel v0\.11\.0 .*\), read through e1:\n\{"Network": "10\.1\.0\.0\/16"\}\n/);
    assert.match(o.read(), /^warning: the v3 keyspace holds a different value \(\{"Network": "10\.7\.0\.0\/16"\}\), which no flannel here reads; a flannel ≥ 0\.18 would$/m);
  });
  test('a node that cannot be probed is named, and the others decide', async () => {
    const { flannelGetCommand } = await import('../../../src/commands/flannel.js');
    const connect = pinned('v0.18.1');
    const o = io();
    await flannelGetCommand({ ...getOpts, inventory: file }, o.io, async (n) => (n.name === 'w2' ? Promise.reject(new Error('connection refused')) : connect(n)));
    assert.match(o.read(), /v3: e1: flannel v0\.18\.1/);
    assert.match(o.read(), /^warning: not probed, so its flannel is not counted: w2: cannot connect to w2 \(198\.18\.1\.12\): connection refused/m);
  });
});

// Compare-and-swap (issue 23 item 9): a keyspace is written only if it still holds what flannel set
// read and showed; a concurrent change is reported, never overwritten; a partial write says which
// keyspace holds what and how to put it back.
describe('flannel set writes with compare-and-swap (fake etcd, both keyspaces)', () => {
  const NEW = '{"Network":"10.2.0.0/16"}';
  const THEIRS = '{"Network": "10.9.0.0/16"}';
  // e1's etcd holds OLD in both keyspaces; every node answers the probe.
  function etcdCluster(o: FakeOptions = {}) {
    const f: FakeEtcd = fakeEtcd(o);
    f.v2.set('/coreos.com', null).set('/coreos.com/network', null).set(KEY, OLD);
    f.v3.set(KEY, OLD);
    const connect = async (n: NodeSpec) => ({
      exec: (cmd: string, opt?: { timeoutMs?: number }) => {
        const { nonce, script } = splitNonce(cmd);
        return script === PROBE ? Promise.resolve({ stdout: withRequestNonce(probe(n.host), nonce), stderr: '', code: 0, timedOut: false }) : f.exec(cmd, opt);
      },
      close() {},
    });
    return { f, connect };
  }
  // Someone writes THEIRS into `api` while flannel set's write to it is on its way.
  const raceOn = (api: 'v2' | 'v3', f: () => FakeEtcd): FakeOptions['intercept'] => (a, args) => {
    if (a === api && ['set', 'txn'].includes(args[0] ?? '')) (api === 'v2' ? f().v2 : f().v3).set(KEY, THEIRS);
    return undefined;
  };

  test('no concurrent change: both written, each only if it still held the value read', async () => {
    const { f, connect } = etcdCluster();
    const o = io();
    assert.equal(await flannelSetCommand(opts('10.2.0.0/16'), o.io, connect), 0, o.read());
    assert.deepEqual([f.v2.get(KEY), f.v3.get(KEY)], [NEW, NEW]);
    assert.ok(f.commands.includes(etcd('v2', 'set', `--swap-with-value=${OLD}`, '--', KEY, NEW)));
    const txn = f.commands.find((c) => c.endsWith(' -w json txn')) ?? '';
    assert.equal(txn, `printf '%s\\n' 'value("/coreos.com/network/config") = "{\\"Network\\": \\"10.1.0.0/16\\"}"' '' 'put -- "/coreos.com/network/config" "{\\"Network\\":\\"10.2.0.0/16\\"}"' '' 'get -- "/coreos.com/network/config"' '' | ${etcd('v3', '-w', 'json', 'txn')}`);
    assert.match(o.read(), /written and read back \(v2\)\nwritten and read back \(v3\)\n$/);
  });

  test('v2 changed between read and write: conflict, nothing written anywhere, theirs kept', async () => {
    const c = etcdCluster({ intercept: raceOn('v2', () => c.f) });
    const { f } = c;
    const o = io();
    assert.equal(await flannelSetCommand(opts('10.2.0.0/16'), o.io, c.connect), 1);
    assert.deepEqual([f.v2.get(KEY), f.v3.get(KEY)], [THEIRS, OLD]);
    assert.ok(o.read().endsWith(`conflict (v2): ${KEY} changed since it was read: it held ${OLD}, it now holds ${THEIRS}; someone else wrote it, so clusterctl did not overwrite it\nnothing was written\n`), o.read());
    assert.equal(f.calls.some((x) => x[1] === 'txn'), false);
  });

  test('v3 changed after v2 was written: both keyspaces named, with the command that puts v2 back', async () => {
    const c = etcdCluster({ intercept: raceOn('v3', () => c.f) });
    const o = io();
    assert.equal(await flannelSetCommand(opts('10.2.0.0/16'), o.io, c.connect), 1);
    assert.deepEqual([c.f.v2.get(KEY), c.f.v3.get(KEY)], [NEW, THEIRS]);
    const undo = etcd('v2', 'set', `--swap-with-value=${NEW}`, '--', KEY, OLD);
    assert.ok(o.read().endsWith([
      `conflict (v3): ${KEY} changed since it was read: it held ${OLD}, it now holds ${THEIRS}; someone else wrote it, so clusterctl did not overwrite it`,
      `the keyspaces now differ: v2 holds the new value ${NEW} (written by this run); v3 holds ${THEIRS} (not written)`,
      `to put v2 back as it was: ${undo}`,
      'or run clusterctl flannel set again to write the keyspaces that still differ',
      '',
    ].join('\n')), o.read());
    // The command does what it says.
    assert.equal((await c.f.exec(undo)).code, 0);
    assert.equal(c.f.v2.get(KEY), OLD);
  });

  test('v3 write fails (etcdctl error) or does not finish: v2 written, v3 as read or unknown', async () => {
    for (const [answer, v3says] of [[{ code: 1, stderr: 'Error: etcdserver: permission denied\n' }, `v3 holds ${OLD} (not written)`], [{ code: null, timedOut: true }, 'v3 may hold either']] as const) {
      const { connect } = etcdCluster({ intercept: (a, args) => (a === 'v3' && args[0] === 'txn' ? answer : undefined) });
      const o = io();
      assert.equal(await flannelSetCommand(opts('10.2.0.0/16'), o.io, connect), 1);
      assert.match(o.read(), /^write failed \(v3\): etcdctl /m);
      assert.ok(o.read().includes(`the keyspaces now differ: v2 holds the new value ${NEW} (written by this run); ${v3says}\n`), o.read());
      if (answer.code === null) assert.ok(o.read().includes(`; etcdctl did not finish, so v3 may hold the new value or still ${OLD}`));
    }
  });

  test('v3 changed right after this run wrote it: the read-back says so, and how to put v2 back', async () => {
    let wrote = false;
    const c = etcdCluster({
      intercept: (a, args) => {
        if (a === 'v3' && args[0] === 'txn') wrote = true;
        else if (wrote && a === 'v3' && args[0] === 'get') c.f.v3.set(KEY, THEIRS);
        return undefined;
      },
    });
    const o = io();
    assert.equal(await flannelSetCommand(opts('10.2.0.0/16'), o.io, c.connect), 1);
    assert.ok(o.read().endsWith([
      `read back (v3) does not match: ${THEIRS}`,
      `the keyspaces now differ: v2 holds the new value ${NEW} (written by this run); v3 holds ${THEIRS}`,
      `to put v2 back as it was: ${etcd('v2', 'set', `--swap-with-value=${NEW}`, '--', KEY, OLD)}`,
      'or run clusterctl flannel set again to write the keyspaces that still differ',
      '',
    ].join('\n')), o.read());
  });

  test('the key absent: v2 mk and a v3 txn on create revision 0, so a key made meanwhile is not overwritten', async () => {
    const c = etcdCluster({ intercept: (a, args) => void (a === 'v2' && args[0] === 'mk' && c.f.v2.set(KEY, THEIRS)) });
    c.f.v2.delete(KEY);
    c.f.v3.delete(KEY);
    const o = io();
    assert.equal(await flannelSetCommand(opts('10.2.0.0/16'), o.io, c.connect), 1);
    assert.ok(c.f.commands.includes(etcd('v2', 'mk', '--', KEY, NEW)));
    assert.match(o.read(), /conflict \(v2\): .* it held \(not set\), it now holds \{"Network": "10\.9\.0\.0\/16"\}.*\nnothing was written\n$/);
    assert.equal(c.f.v2.get(KEY), THEIRS);
  });
});
