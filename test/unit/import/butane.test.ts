// Butane configs (variant flatcar 1.0.0, 1.1.0) read directly: the systemd lab's nodes written by
// hand import to the inventory their Ignition configs do; local files, links, *_local fields;
// and each malformed config one clear problem with file, line and column.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importInventory, localReader } from '../../../src/import/files.js';
import { importConfigs } from '../../../src/import/import.js';
import type { ImportResult } from '../../../src/import/import.js';
import { formatProblem } from '../../../src/import/problem.js';
import { parseInventory } from '../../../src/inventory/load.js';
import type { Role } from '../../../src/inventory/types.js';
import { renderNode } from '../../../src/render/render.js';
import { ROOT, SYSD_LAB } from '../../fixtures/import/configs.js';

const LAB_DIR = `${ROOT}test/fixtures/import/butane-lab/`;
const ROLES = new Map<string, Role[]>([['lab-node-1', ['master']], ['lab-node-2', ['worker']], ['lab-node-3', ['worker']]]);

const ok = (r: ImportResult) => {
  if (!r.ok) assert.fail(`import failed:\n${r.problems.map(formatProblem).join('\n')}`);
  return r;
};
// What an inventory says, without where each value came from (file names and paths differ).
const said = (r: ImportResult) => JSON.parse(JSON.stringify(ok(r).inventory, (k, v: unknown) => (k === 'from' || k === 'path' ? undefined : v))) as unknown;

// One Butane config in a fresh directory (with any local files), imported from there.
async function importOne(text: string, files: Record<string, string> = {}, name = 'n1.bu', filesDir?: string): Promise<ImportResult> {
  const dir = mkdtempSync(join(tmpdir(), 'clusterctl-butane-'));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  writeFileSync(join(dir, name), text);
  return importInventory([join(dir, name)], { roles: new Map([['n1', ['master']]]), hosts: new Map([['n1', '198.18.1.10']]) }, undefined, filesDir === undefined ? {} : { filesDir: join(dir, filesDir) });
}
const problemsOf = (r: ImportResult) => (r.ok ? [] : r.problems.map((p) => formatProblem({ ...p, file: p.file.replace(/^.*\//, '') })));

const HEAD = 'variant: flatcar\nversion: 1.0.0\n';
const HOST = 'storage:\n  files:\n    - path: /etc/hostname\n      contents:\n        inline: n1\n';

describe("the systemd lab's nodes as hand-written Butane (test/fixtures/import/butane-lab)", () => {
  test('import to the same inventory as the Ignition configs render makes for the lab', async () => {
    const inv = parseInventory(SYSD_LAB, '/t/inventory.yaml');
    const ign = inv.nodes.map((n) => renderNode(n, inv, 'ignition', new Map())).map((r) => ({ path: r.file, text: r.text }));
    const files = readdirSync(LAB_DIR).filter((f) => f.endsWith('.bu')).sort();
    assert.deepEqual(files, ['lab-node-1.bu', 'lab-node-2.bu', 'lab-node-3.bu']);
    const bu = await importInventory(files.map((f) => `${LAB_DIR}${f}`), { roles: ROLES });
    assert.deepEqual(said(bu), said(importConfigs(ign, { roles: ROLES })));
    // And what each value came from is the Butane file, at the field that says it.
    const n2 = ok(bu).inventory.nodes[1]?.provisioned?.files ?? [];
    assert.deepEqual(n2.map((f) => f.from.replace(LAB_DIR, '')), ['lab-node-2.bu storage.files[0]', 'lab-node-2.bu storage.files[1]', 'lab-node-2.bu systemd.units[0].dropins[0]']);
  });

  test('the directory works as --from takes it: its .bu files, not the local files beside them', async () => {
    const r = ok(await importInventory([LAB_DIR], { roles: ROLES }));
    assert.deepEqual(r.inventory.nodes.map((n) => n.name), ['lab-node-1', 'lab-node-2', 'lab-node-3']);
  });
});

describe('Butane fields import reads', () => {
  test('contents.local: relative to the config’s directory, or to --files-dir', async () => {
    const text = `${HEAD}storage:\n  files:\n    - path: /etc/hostname\n      contents:\n        local: sub/host\n`;
    assert.equal(ok(await importOne(text, { 'sub/host': 'from-local\n' })).inventory.nodes[0]?.hostname, 'from-local');
    assert.equal(ok(await importOne(text, { 'fd/sub/host': 'from-files-dir\n' }, 'n1.bu', 'fd')).inventory.nodes[0]?.hostname, 'from-files-dir');
  });

  test('a .yaml Butane config; the hostname file’s bytes are what the drift check expects', async () => {
    const r = ok(await importOne(`${HEAD}${HOST}`, {}, 'n1.yaml'));
    const f = r.inventory.nodes[0]?.provisioned?.files[0];
    assert.deepEqual([r.inventory.nodes[0]?.hostname, f?.path, f?.mode, f?.size, f?.sha256?.slice(0, 12)], ['n1', '/etc/hostname', 0o644, 2, '676b8bb84ce7']);
  });

  test('storage.links: a *.wants/ link enables its unit, a link to /dev/null masks one, others are not read', async () => {
    const links = [
      '    - path: /etc/systemd/system/multi-user.target.wants/docker.service\n      target: /usr/lib/systemd/system/docker.service',
      '    - path: /etc/systemd/system/locksmithd.service\n      target: /dev/null',
      '    - path: /opt/bin/kubectl\n      target: /opt/k8s/kubectl',
    ];
    const r = ok(await importOne(`${HEAD}${HOST}  links:\n${links.join('\n')}\n`));
    assert.deepEqual(r.inventory.nodes[0]?.provisioned?.units.map((u) => [u.name, u.state]), [
      ['docker.service', 'enabled'],
      ['locksmithd.service', 'masked'],
    ]);
  });

  test('1.1.0: contents_local for units and drop-ins, ssh_authorized_keys_local (one key a line)', async () => {
    const text =
      'variant: flatcar\nversion: 1.1.0\npasswd:\n  users:\n    - name: core\n      ssh_authorized_keys: [ssh-ed25519 AAAAinline a@b]\n      ssh_authorized_keys_local: [keys.pub]\n' +
      `${HOST.replace('storage:\n', 'storage:\n')}systemd:\n  units:\n    - name: kubelet.service\n      enabled: true\n      contents_local: kubelet.service\n      dropins:\n        - name: 10-x.conf\n          contents_local: x.conf\n`;
    const r = ok(await importOne(text, { 'keys.pub': 'ssh-ed25519 AAAAone c@d\n\nssh-ed25519 AAAAtwo e@f\n', 'kubelet.service': '[Service]\nExecStart=/bin/true\n', 'x.conf': '[Service]\nNice=1\n' }));
    const n = r.inventory.nodes[0];
    assert.deepEqual(n?.sshAuthorizedKeys, ['ssh-ed25519 AAAAinline a@b', 'ssh-ed25519 AAAAone c@d', 'ssh-ed25519 AAAAtwo e@f']);
    assert.deepEqual(n?.provisioned?.files.map((f) => [f.path, f.size]), [
      ['/etc/hostname', 2],
      ['/etc/systemd/system/kubelet.service', 30],
      ['/etc/systemd/system/kubelet.service.d/10-x.conf', 17],
    ]);
  });

  test('fields import does not use are ignored (kernel_arguments, directories, a user’s groups, ignition.config)', async () => {
    const text = `${HEAD}kernel_arguments:\n  should_exist: [quiet]\nignition:\n  timeouts: { http_total: 10 }\npasswd:\n  users:\n    - name: core\n      groups: [docker]\n${HOST}  directories:\n    - path: /opt/x\n`;
    assert.equal(ok(await importOne(text)).inventory.nodes[0]?.hostname, 'n1');
  });

  test('storage.trees: a warning that their files are not checked', async () => {
    const r = await importOne(`${HEAD}${HOST}  trees:\n    - local: tree\n`);
    assert.match(ok(r).warnings.join('\n'), /n1\.bu:9: storage\.trees: import does not read local trees/);
  });

  test('the local reader keeps Butane’s rule: nothing outside the files directory', () => {
    const read = localReader('/etc/clusterctl-none');
    const r = read('../passwd');
    assert.deepEqual(r.ok ? 'read' : r.why, 'leaves the files directory /etc/clusterctl-none (Butane refuses such a local path)');
  });
});

describe('malformed Butane: one clear problem each, with file, line and column', () => {
  const cases: [what: string, text: string, problem: string, files?: Record<string, string>][] = [
    ['another variant', 'variant: fcos\nversion: 1.5.0\n', 'n1.bu:1:10: variant: Butane variant "fcos" is not supported: import reads Butane variant flatcar, versions 1.0.0 and 1.1.0; transpile it with `butane --pretty --strict` and import the Ignition JSON it writes'],
    ['a flatcar version import does not read', 'variant: flatcar\nversion: 1.2.0\n', 'n1.bu:2:10: version: Butane flatcar version "1.2.0" is not supported: import reads Butane variant flatcar, versions 1.0.0 and 1.1.0'],
    ['no version', `variant: flatcar\n${HOST}`, 'n1.bu:1:1: a Butane config needs version (a string such as "1.0.0"); found nothing'],
    ['a version that YAML reads as a number', 'variant: flatcar\nversion: 1.0\n', 'n1.bu:2:10: version: a Butane config needs version (a string such as "1.0.0"); found a number (1)'],
    ['a .bu file with no variant', HOST, 'n1.bu:1:1: a .bu file with no variant: a Butane config starts with `variant: flatcar` and `version: 1.0.0` (or 1.1.0)'],
    ['inline and local both', `${HEAD}storage:\n  files:\n    - path: /etc/hostname\n      contents:\n        inline: a\n        local: b\n`, 'n1.bu:8:16: storage.files[0].contents.local: only one of inline, local, source can be set (Butane refuses more); found inline and local'],
    ['a local file that is not there', `${HEAD}storage:\n  files:\n    - path: /etc/hostname\n      contents:\n        local: host.txt\n`, "n1.bu:7:16: storage.files[0].contents.local: host.txt: not found in the files directory DIR (--files-dir; default: the config's own directory)"],
    ['a local path out of the files directory', `${HEAD}storage:\n  files:\n    - path: /etc/hostname\n      contents:\n        local: ../../etc/passwd\n`, 'n1.bu:7:16: storage.files[0].contents.local: ../../etc/passwd: leaves the files directory DIR (Butane refuses such a local path)'],
    ['a source that says base64 and is not', `${HEAD}storage:\n  files:\n    - path: /etc/hostname\n      contents:\n        source: "data:;base64,!!!"\n`, 'n1.bu:7:17: storage.files[0].contents.source: /etc/hostname: the data URL says base64, but its data is not base64'],
    ['storage.files a mapping', `${HEAD}storage:\n  files:\n    path: /etc/hostname\n`, 'n1.bu:5:5: storage.files: expected a list, found a mapping'],
    ['a mode as a string', `${HEAD}storage:\n  files:\n    - path: /etc/hostname\n      mode: "0644"\n      contents: { inline: n1 }\n`, 'n1.bu:6:13: storage.files[0].mode: expected a whole number, found "0644"'],
    ['a unit without a name', `${HEAD}systemd:\n  units:\n    - enabled: true\n`, 'n1.bu:5:7: systemd.units[0].name: name is missing'],
    ['a drop-in whose contents are a number', `${HEAD}systemd:\n  units:\n    - name: a.service\n      dropins:\n        - name: x.conf\n          contents: 42\n`, 'n1.bu:8:21: systemd.units[0].dropins[0].contents: expected a string, found 42'],
    ['a link without a target', `${HEAD}storage:\n  links:\n    - path: /etc/systemd/system/x.wants/a.service\n`, 'n1.bu:5:7: storage.links[0].target: target is missing'],
    ['ssh_authorized_keys a string', `${HEAD}passwd:\n  users:\n    - name: core\n      ssh_authorized_keys: ssh-ed25519 AAAA a@b\n`, 'n1.bu:6:28: passwd.users[0].ssh_authorized_keys: expected a list, found "ssh-ed25519 AAAA a@b"'],
    ['contents_local in 1.0.0', `${HEAD}systemd:\n  units:\n    - name: a.service\n      contents_local: a.service\n`, 'n1.bu:6:23: systemd.units[0].contents_local: contents_local is a Butane 1.1.0 field; this config says version 1.0.0', { 'a.service': '[Service]\n' }],
    ['contents and contents_local both (1.1.0)', 'variant: flatcar\nversion: 1.1.0\nsystemd:\n  units:\n    - name: a.service\n      contents: "[Service]"\n      contents_local: a.service\n', 'n1.bu:7:23: systemd.units[0].contents_local: only one of contents, contents_local can be set (Butane refuses more); found contents and contents_local', { 'a.service': '[Service]\n' }],
  ];
  for (const [what, text, problem, files] of cases) {
    test(what, async () => {
      const r = await importOne(text, files);
      assert.equal(r.ok, false);
      const dir = r.ok ? '' : (r.problems[0]?.file.replace(/\/[^/]*$/, '') ?? '');
      assert.deepEqual(problemsOf(r).map((p) => p.replaceAll(dir, 'DIR')), [problem]);
    });
  }
});
