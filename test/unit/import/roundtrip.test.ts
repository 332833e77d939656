// render then import gives back the inventory, wherever the configs hold the information: a
// property over generated inventories (all three formats), inventory.example.yaml's golden configs,
// and the setup guide's own snippets.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { importConfigs } from '../../../src/import/import.js';
import type { ImportResult } from '../../../src/import/import.js';
import { formatProblem } from '../../../src/import/problem.js';
import { lintText } from '../../../src/inventory/lint.js';
import { loadInventory, parseInventory } from '../../../src/inventory/load.js';
import type { Inventory, Role } from '../../../src/inventory/types.js';
import { clusterToken, memberName } from '../../../src/render/etcd.js';
import { endpointsFor } from '../../../src/render/flannel.js';
import { readClc } from '../../../src/render/clc.js';
import { renderNode } from '../../../src/render/render.js';
import type { RenderFormat } from '../../../src/render/render.js';
import { nodeUnits } from '../../../src/render/units.js';
import { renderProblems } from '../../../src/render/validate.js';
import { GOLDEN, guideClc, ROOT, SYSD_LAB } from '../../fixtures/import/configs.js';
import { ed25519Line } from '../../fixtures/render/keys.js';

// What the configs hold of an inventory; what they cannot hold (SSH settings, master/worker,
// v2 versus auto) is left out or given to import by flag.
function held(inv: Inventory) {
  const f = inv.cluster.flannel;
  return {
    nodes: inv.nodes.map((n) => ({
      name: n.name,
      host: n.host,
      roles: [...n.roles].sort(),
      hostname: n.hostname,
      keys: n.sshAuthorizedKeys?.length ? { user: n.user, keys: n.sshAuthorizedKeys } : undefined,
      member: n.roles.includes('etcd') ? memberName(n) : undefined,
      endpoints: f.enabled ? endpointsFor(n, inv) : undefined,
      network: n.network && { ...n.network, ipv6AcceptRA: n.network.ipv6AcceptRA === true },
      units: nodeUnits(n, inv).map((u) => u.name).sort(),
    })),
    flannel: f.enabled
      ? { configKey: f.configKey, etcdApi: f.etcdApi === 'v2' ? 'auto' : f.etcdApi, ...(f.configDropin ? { network: f.network, subnetLen: f.subnetLen, configDropin: true } : {}) }
      : 'off',
    tls: f.enabled ? [inv.cluster.etcd.caFile, inv.cluster.etcd.certFile, inv.cluster.etcd.keyFile] : undefined,
    token: inv.nodes.some((n) => n.roles.includes('etcd')) ? clusterToken(inv) : undefined,
  };
}

// A rendered config with its units by name: cluster.services may list a unit under other roles
// than the original did (all, instead of master and worker when every node is one), same units.
function unitsSorted(text: string, format: RenderFormat): unknown {
  // Butane's YAML and the CLC's are both read as YAML 1.1 (go-yaml's octal modes).
  const c = (format === 'ignition' ? JSON.parse(text) : readClc(text)) as { systemd?: { units: { name: string }[] } };
  c.systemd?.units.sort((a, b) => a.name.localeCompare(b.name));
  return c;
}

const extraRoles = (inv: Inventory) => new Map(inv.nodes.map((n) => [n.name, n.roles.filter((r): r is Role => r !== 'etcd')]));
const hostsOf = (inv: Inventory) => new Map(inv.nodes.filter((n) => !n.network).map((n) => [n.name, n.host]));

function roundTrip(inv: Inventory, format: RenderFormat): ImportResult {
  const configs = inv.nodes.map((n) => renderNode(n, inv, format, new Map())).map((r) => ({ path: `out/${r.file}`, text: r.text }));
  return importConfigs(configs, { roles: extraRoles(inv), hosts: hostsOf(inv) });
}

const ok = (r: ImportResult) => {
  if (!r.ok) assert.fail(`import failed:\n${r.problems.map(formatProblem).join('\n')}`);
  return r;
};

// Inventories render accepts: 1–5 nodes on 198.18.1.0/24, at least one etcd node, flannel on or
// off with every setting render writes, services per role, keys per node or for all.
const inventoryText = fc
  .record({
    nodes: fc.array(
      fc.record({
        roles: fc.subarray(['etcd', 'master', 'worker'] as const, { minLength: 1 }),
        iface: fc.constantFrom('eth0', 'ens3', 'host0'),
        gateway: fc.boolean(),
        dns: fc.subarray(['198.18.0.1', '198.18.0.2', '198.18.0.3']),
        routes: fc.subarray([0, 1, 2]),
        hostname: fc.option(fc.constantFrom('h.lab', 'node.example'), { nil: undefined }),
        member: fc.option(fc.constantFrom('app-etcd', 'm'), { nil: undefined }),
        ra: fc.boolean(),
        ownKeys: fc.boolean(),
        network: fc.boolean(),
        ownEndpoints: fc.boolean(),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    flannel: fc.option(
      fc.record({ net: fc.integer({ min: 1, max: 9 }), subnetLen: fc.option(fc.integer({ min: 20, max: 26 }), { nil: undefined }), dropin: fc.boolean(), api: fc.constantFrom('auto', 'v2', 'v3'), key: fc.boolean(), tls: fc.boolean() }),
      { nil: undefined },
    ),
    services: fc.record({ all: fc.subarray(['docker.service']), master: fc.subarray(['kubelet.service', 'kube-apiserver.service']), worker: fc.subarray(['kubelet.service']) }),
    token: fc.boolean(),
    sharedKeys: fc.boolean(),
  })
  .map((g) => {
    const nodes = g.nodes.map((n, i) => ({ ...n, roles: i === 0 && !n.roles.includes('etcd') ? ['etcd', ...n.roles] : n.roles }));
    const etcdIps = nodes.flatMap((n, i) => (n.roles.includes('etcd') ? [`198.18.1.${10 + i}`] : []));
    const lines = [
      ...(g.sharedKeys ? ['defaults:', `  sshAuthorizedKeys: ["${ed25519Line('shared', 'all@test')}"]`] : []),
      'cluster:',
      '  etcd:',
      `    endpoints: [${etcdIps.map((ip) => `http://${ip}:2379`).join(', ')}]`,
      ...(g.flannel?.tls ? ['    caFile: /etc/ssl/etcd/ca.pem', '    certFile: /etc/ssl/etcd/c.pem', '    keyFile: /etc/ssl/etcd/k.pem'] : []),
      ...(g.token ? ['    initialClusterToken: lab-token'] : []),
      ...(g.flannel
        ? [
            '  flannel:',
            `    network: 10.${g.flannel.net}.0.0/16`,
            ...(g.flannel.subnetLen ? [`    subnetLen: ${g.flannel.subnetLen}`] : []),
            `    etcdApi: ${g.flannel.api}`,
            ...(g.flannel.dropin ? ['    configDropin: true'] : []),
            ...(g.flannel.key ? ['    configKey: /lab/net/config'] : []),
          ]
        : []),
      '  services:',
      `    all: [${g.services.all.join(', ')}]`,
      `    master: [${g.services.master.join(', ')}]`,
      `    worker: [${g.services.worker.join(', ')}]`,
      'nodes:',
      ...nodes.flatMap((n, i) => {
        const ip = `198.18.1.${10 + i}`;
        return [
          `  - name: n${i}`,
          `    host: ${n.network ? ip : `${ip}`}`,
          `    roles: [${n.roles.join(', ')}]`,
          ...(n.hostname ? [`    hostname: n${i}.${n.hostname}`] : []),
          ...(n.ownKeys || !g.sharedKeys ? [`    sshAuthorizedKeys: ["${ed25519Line(`node${i}`, `n${i}@test`)}"]`] : []),
          ...(n.member && n.roles.includes('etcd') ? [`    etcd: { name: ${n.member}-${i} }`] : n.ownEndpoints && !n.roles.includes('etcd') ? [`    etcd: { endpoints: [http://${etcdIps[0]}:2379] }`] : []),
          ...(n.network
            ? [
                '    network:',
                `      interface: ${n.iface}`,
                `      address: ${ip}/24`,
                ...(n.gateway ? ['      gateway: 198.18.1.1'] : []),
                `      dns: [${n.dns.join(', ')}]`,
                `      routes: [${n.routes.map((r) => `{ destination: 198.19.${r}.0/24, gateway: 198.18.1.${250 + r} }`).join(', ')}]`,
                ...(n.ra ? ['      ipv6AcceptRA: true'] : []),
              ]
            : []),
        ];
      }),
    ];
    return `${lines.join('\n')}\n`;
  });

describe('round trip: render, then import', () => {
  for (const format of ['ignition', 'butane', 'clc'] as const) {
    test(`${format}: import gives back what the configs hold of any inventory`, () => {
      fc.assert(
        fc.property(inventoryText, (text) => {
          assert.deepEqual(lintText(text, '/t/inventory.yaml'), [], text);
          const inv = parseInventory(text, '/t/inventory.yaml');
          assert.deepEqual(renderProblems(inv), []);
          const r = ok(roundTrip(inv, format));
          assert.deepEqual(held(r.inventory), held(inv), `${text}\n--- imported:\n${r.yamlText}`);
          // And the imported inventory renders the same configs again.
          for (const n of inv.nodes) {
            const again = r.inventory.nodes.find((x) => x.name === n.name) ?? assert.fail(n.name);
            assert.deepEqual(unitsSorted(renderNode(again, r.inventory, format, new Map()).text, format), unitsSorted(renderNode(n, inv, format, new Map()).text, format));
          }
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('inventory.example.yaml: import of its rendered configs', async () => {
  const inv = await loadInventory(`${ROOT}inventory.example.yaml`, { home: '/home/tester' });
  const golden = readdirSync(GOLDEN).sort();
  for (const [format, ext] of [['ignition', '.ign'], ['clc', '.clc.yaml']] as const) {
    test(`the golden ${format} files import to the example, as far as they hold it`, () => {
      const configs = golden.filter((f) => f.endsWith(ext)).map((f) => ({ path: f, text: readFileSync(`${GOLDEN}${f}`, 'utf8') }));
      assert.equal(configs.length, 3);
      const r = ok(importConfigs(configs, { roles: extraRoles(inv) }));
      // The example's flannel Network is not in its configs (no config drop-in): only that differs.
      assert.deepEqual(held(r.inventory), held(inv));
      assert.equal(r.inventory.cluster.flannel.network, undefined);
      assert.match(r.yamlText, /# flannel\.network: not in the configs/);
      assert.deepEqual(r.inventory.nodes.map((n) => n.name), ['app-etcd-1', 'app-worker-1', 'app-worker-2']);
    });
  }
  test('the imported YAML (golden: test/fixtures/import/example.inventory.yaml)', () => {
    const configs = golden.filter((f) => f.endsWith('.ign')).map((f) => ({ path: `ign/${f}`, text: readFileSync(`${GOLDEN}${f}`, 'utf8') }));
    const r = ok(importConfigs(configs, { roles: extraRoles(inv) }));
    const path = `${ROOT}test/fixtures/import/example.inventory.yaml`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, r.yamlText);
    assert.equal(r.yamlText, readFileSync(path, 'utf8'));
  });
});

describe("the setup guide's snippets", () => {
  test('its node (networkd indented as YAML needs) imports: hostname, network, key, etcd member, flannel Network', () => {
    const r = ok(importConfigs([{ path: 'config.yaml', text: guideClc() }], { roles: new Map([['config', ['master']]]) }));
    const n = r.inventory.nodes[0] ?? assert.fail();
    assert.equal(n.name, 'config');
    assert.equal(n.hostname, 'app-etcd-1');
    assert.deepEqual(n.roles, ['etcd', 'master']);
    assert.equal(n.host, '192.168.1.10');
    assert.deepEqual(n.network, { interface: 'eth0', address: '192.168.1.10/24', gateway: '192.168.1.1', dns: ['192.168.1.1', '192.168.1.2'], routes: [{ destination: '10.45.0.0/16', gateway: '192.168.1.124' }] });
    assert.deepEqual(n.sshAuthorizedKeys, ['ssh-rsa xxxx']);
    assert.equal(n.etcd?.name, 'app-etcd-1');
    assert.deepEqual(r.inventory.cluster.etcd.endpoints, ['http://localhost:2379']);
    assert.equal(r.inventory.cluster.etcd.initialClusterToken, 'xxxx');
    assert.equal(r.inventory.cluster.flannel.enabled, true);
    assert.equal(r.inventory.cluster.flannel.network, '10.1.0.0/16');
    assert.equal(r.inventory.cluster.flannel.configDropin, true);
    assert.deepEqual(r.inventory.cluster.services, { all: ['flanneld.service'], etcd: ['etcd-member.service'], master: [], worker: [] });
    // ct v0.9.0 turns `flannel: ~` into flanneld.service, enabled, with its drop-in: nothing to warn about.
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.provisioned.config?.units.filter((u) => u.name === 'flanneld.service').map((u) => u.state), ['enabled']);
  });
  test('`flannel:` with no value, or `null`: ct v0.9.0 writes nothing for it (only `~` is a section to its YAML); import reads it as ct does and says so', () => {
    for (const nothing of ['', ' null', ' !!null']) {
      const text = guideClc().replace('flannel: ~', `flannel:${nothing}`);
      const r = ok(importConfigs([{ path: 'config.yaml', text }], { roles: new Map([['config', ['master']]]) }));
      // The guide's own 50-network-config.conf drop-in is still written; ct's unit and drop-in are not.
      assert.deepEqual(r.provisioned.config?.units.filter((u) => u.name === 'flanneld.service'), [], nothing);
      assert.deepEqual(r.provisioned.config?.files.filter((f) => f.path.startsWith('/etc/systemd/system/flanneld.service.d/')).map((f) => f.path), ['/etc/systemd/system/flanneld.service.d/50-network-config.conf'], nothing);
      assert.deepEqual(r.inventory.cluster.services?.all, [], nothing);
      const line = text.split('\n').findIndex((l) => l.startsWith('flannel:')) + 1;
      assert.deepEqual(r.warnings, [`config.yaml:${line}: flannel: with no value (or null), ct v0.9.0 writes nothing for this section; \`flannel: ~\` or settings give flanneld.service with its drop-in. import reads it as ct does: no flannel: section`], nothing);
    }
    for (const tilde of ['~', 'Null', 'NULL']) {
      const r = ok(importConfigs([{ path: 'config.yaml', text: guideClc().replace('flannel: ~', `flannel: ${tilde}`) }], { roles: new Map([['config', ['master']]]) }));
      assert.deepEqual(r.inventory.cluster.services?.all, ['flanneld.service'], tilde);
      assert.ok(r.provisioned.config?.files.some((f) => f.path === '/etc/systemd/system/flanneld.service.d/20-clct-flannel.conf'), tilde);
    }
  });
  test('as printed, its networkd snippet is the one problem, named with its line', () => {
    const r = importConfigs([{ path: 'config.yaml', text: guideClc({ verbatim: true }) }]);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(r.problems.map(formatProblem), [
      'config.yaml:17:7: the block after `contents: |` is empty: its lines (18–29) are not indented more than `contents:`, so YAML ends the block before them (the setup guide\'s networkd snippet has this slip); indent those lines two spaces more than `contents:`',
    ]);
  });
});

describe("the systemd lab's inventory (test/lab/lib/sysd.sh), rendered and imported", () => {
  for (const format of ['ignition', 'clc'] as const) {
    test(`${format}: what the configs hold comes back; the connection settings come from connection (as verify --from would pass them)`, () => {
      const inv = parseInventory(SYSD_LAB, '/t/inventory.yaml');
      const configs = inv.nodes.map((n) => renderNode(n, inv, format, new Map())).map((r) => ({ path: r.file, text: r.text }));
      const connection = { user: 'core', identityFile: '/var/lib/clusterctl-lab/id_ed25519', knownHostsFile: '/var/lib/clusterctl-lab/known_hosts', become: 'sudo' };
      const r = ok(importConfigs(configs, { roles: extraRoles(inv), connection }, '/t/imported.yaml'));
      assert.deepEqual(held(r.inventory), held(inv));
      const n = r.inventory.nodes[1] ?? assert.fail();
      assert.deepEqual([n.user, n.identityFile, n.knownHostsFile, n.become], ['core', '/var/lib/clusterctl-lab/id_ed25519', '/var/lib/clusterctl-lab/known_hosts', 'sudo']);
    });
  }
});
