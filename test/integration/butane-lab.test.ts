import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importInventory } from '../../src/import/files.js';
import type { ImportResult } from '../../src/import/import.js';
import { formatProblem } from '../../src/import/problem.js';
import type { Role } from '../../src/inventory/types.js';
import { runCli } from '../helpers/cli.js';
import { LAB_INVENTORY, LAB_STATE, labSkip, nodeName } from '../helpers/lab.js';
import type { JsonReport } from '../helpers/report.js';
import { asRootOnNode, NO_DATAPATH, sysdLab } from '../helpers/systemd-lab.js';

// The systemd lab booted from render's Ignition configs, checked against the same nodes written
// by hand as Butane (test/fixtures/import/butane-lab): verify --from takes the three .bu files
// after one flag, and the drift checks read what the Butane files say Ignition wrote.

const NODES = [1, 2, 3];
const FIXTURES = fileURLToPath(new URL('../fixtures/import/butane-lab/', import.meta.url));
const FIXTURE_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILabKeyLabKeyLabKeyLabKeyLabKeyLabKey0000 lab-client';
const ROLES = new Map<string, Role[]>([['lab-node-1', ['master']], ['lab-node-2', ['worker']], ['lab-node-3', ['worker']]]);
const notPassing = (report: JsonReport) => report.nodes.flatMap((n) => n.checks.filter((c) => c.status !== 'pass').map((c) => `${n.name} ${c.id}=${c.status}`));
const checksOf = (report: JsonReport, i: number, id: string) => report.nodes.find((n) => n.name === nodeName(i))?.checks.filter((c) => c.id === id) ?? [];
const said = (r: ImportResult) => {
  if (!r.ok) assert.fail(r.problems.map(formatProblem).join('\n'));
  return JSON.parse(JSON.stringify(r.inventory, (k, v: unknown) => (k === 'from' || k === 'path' ? undefined : v))) as unknown;
};

describe('the systemd lab checked against hand-written Butane configs (verify --from a.bu b.bu c.bu)', { skip: labSkip }, () => {
  let dir = '';
  const files = () => NODES.map((i) => join(dir, `${nodeName(i)}.bu`));
  const verify = async () => {
    const r = await runCli(['verify', '--json', '-i', LAB_INVENTORY, '--from', ...files(), '--role', 'master=lab-node-1', '--role', 'worker=lab-node-2,lab-node-3', ...NO_DATAPATH], { timeoutMs: 60_000 });
    return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
  };

  before(async () => {
    await sysdLab(['up', String(NODES.length)]);
    // The fixtures hold a fixed key; the lab made its own, which Ignition gave core.
    const key = readFileSync(join(LAB_STATE, 'id_ed25519.pub'), 'utf8').trim();
    dir = mkdtempSync(join(tmpdir(), 'clusterctl-butane-lab-'));
    cpSync(FIXTURES, dir, { recursive: true });
    for (const f of files()) writeFileSync(f, readFileSync(f, 'utf8').replaceAll(FIXTURE_KEY, key));
  });
  after(async () => {
    await sysdLab(['down']);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the Butane files and the Ignition configs the nodes booted from import to the same inventory', async () => {
    const ign = readdirSync(join(LAB_STATE, 'ignition')).sort().map((f) => join(LAB_STATE, 'ignition', f));
    assert.equal(ign.length, 3);
    assert.deepEqual(said(await importInventory(files(), { roles: ROLES })), said(await importInventory(ign, { roles: ROLES })));
  });

  test('verify --from the three .bu files passes, ignition.files and ignition.units included', async () => {
    const { code, report, stderr } = await verify();
    assert.deepEqual(notPassing(report), [], stderr);
    assert.equal(code, 0);
    for (const i of NODES) assert.match(checksOf(report, i, 'ignition.files')[0]?.message ?? '', new RegExp(`^\\d+ files as \\S*${nodeName(i)}\\.bu wrote them`));
  });

  test('a .network file edited behind Ignition\'s back fails exactly node 2\'s ignition.files', async () => {
    const NET = '/etc/systemd/network/10-static.network';
    await asRootOnNode(2, `cp -p ${NET} /root/network.bak`);
    try {
      await asRootOnNode(2, `echo '# edited by hand' >> ${NET}`);
      const { code, report } = await verify();
      assert.deepEqual(notPassing(report), ['lab-node-2 ignition.files=fail']);
      assert.equal(code, 1);
      assert.match(checksOf(report, 2, 'ignition.files')[0]?.message ?? '', /10-static\.network: content changed/);
    } finally {
      await asRootOnNode(2, `cp -p /root/network.bak ${NET}`);
    }
  });
});
