// Drift from the node's own Ignition config (verify --from): every file it wrote is still there
// with that mode and content, every unit it enabled is enabled, every unit it masked is masked.
// Pure: the states come from the batch (facts/gatherers/provisioned.ts).
import type { FileState } from '../facts/gatherers/provisioned.js';
import type { NodeSpec } from '../inventory/types.js';
import type { ProvisionedFile, ProvisionedUnit } from '../inventory/provisioned.js';
import type { AppliesTo } from './applies.js';
import { factError, list, result } from './result.js';
import { STARTS_AT_BOOT } from './service.js';
import type { Check } from './types.js';
import { shortHash } from '../util/redact.js';

const fromConfig: AppliesTo = (node) => node.provisioned !== undefined;
const octal = (mode: number): string => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
// The config a node's provisioning came from, for messages: "ign/app-etcd-1.ign".
const source = (node: NodeSpec): string => {
  const from = node.provisioned?.files[0]?.from ?? node.provisioned?.units[0]?.from;
  return from ? from.split(' ')[0] ?? from : 'its config';
};

// What differs between one file as the config wrote it and as it is; null: nothing.
function fileDrift(want: ProvisionedFile, got: FileState | undefined): string | null {
  if (!got || got.state === 'error') return `${want.path}: could not be read (${got?.state === 'error' ? got.error : 'not reported'})`;
  if (got.state === 'missing') return `${want.path}: missing`;
  if (got.state === 'not-a-file') return `${want.path}: not a regular file`;
  const diffs: string[] = [];
  if ((want.mode & 0o7777) !== (got.mode & 0o7777)) diffs.push(`mode ${octal(want.mode)} → ${octal(got.mode)}`);
  if (want.contentKnown && want.sha256 !== undefined) {
    if (got.sha256 === undefined) diffs.push(`content not compared: ${got.why ?? 'no hash'}`);
    else if (got.sha256 !== want.sha256) diffs.push(`content changed: expected sha256 ${shortHash(want.sha256)}, on node ${shortHash(got.sha256)} (${got.size} bytes)`);
  }
  return diffs.length ? `${want.path}: ${diffs.join('; ')}` : null;
}

export const ignitionFilesCheck: Check = {
  id: 'ignition.files',
  scope: 'node',
  appliesTo: fromConfig,
  needs: ['provisioned'],
  run(node, facts) {
    const id = 'ignition.files';
    const files = node.provisioned?.files ?? [];
    const want = `${files.length} file${files.length === 1 ? '' : 's'} as ${source(node)} wrote them`;
    if (!files.length) return [result(id, 'skip', want, null, `${source(node)} writes no file`)];
    if (!('ok' in facts.provisioned)) return [factError(id, facts.provisioned, want)];
    const got = facts.provisioned.ok.files;
    const drift = files.map((f, i) => fileDrift(f, got[i])).filter((d): d is string => d !== null);
    const unknown = files.filter((f) => !f.contentKnown).length;
    const note = unknown ? ` (${unknown} whose bytes the config does not hold, e.g. ${files.find((f) => !f.contentKnown)?.why ?? 'a remote source'}: presence and mode only)` : '';
    if (!drift.length) return [result(id, 'pass', want, want, `${files.length} file${files.length === 1 ? '' : 's'} as ${source(node)} wrote them${note}`)];
    return [result(id, 'fail', want, `${drift.length} changed`, `changed behind Ignition's back (${source(node)}): ${drift.join('; ')}`)];
  },
};

// What a unit's state should be, from the config; null: the config says nothing checkable.
function unitDrift(want: ProvisionedUnit, state: string): string | null {
  if (want.state === 'masked') return state === 'masked' ? null : `${want.name} is ${state}, the config masks it`;
  if (want.state === 'enabled' && !STARTS_AT_BOOT.has(state)) return `${want.name} is ${state}, the config enables it`;
  if (want.state === 'disabled' && STARTS_AT_BOOT.has(state) && state !== 'static') return `${want.name} is ${state}, the config disables it`;
  return null;
}

export const ignitionUnitsCheck: Check = {
  id: 'ignition.units',
  scope: 'node',
  appliesTo: fromConfig,
  needs: ['provisioned'],
  run(node, facts) {
    const id = 'ignition.units';
    const units = node.provisioned?.units ?? [];
    const want = list(units.map((u) => `${u.name} ${u.state}`));
    if (!units.length) return [result(id, 'skip', null, null, `${source(node)} enables, disables or masks no unit`)];
    if (!('ok' in facts.provisioned)) return [factError(id, facts.provisioned, want)];
    const states = new Map(facts.provisioned.ok.units.map((u) => [u.name, u.state]));
    const actual = list(units.map((u) => `${u.name} ${states.get(u.name) ?? 'not reported'}`));
    const drift = units.map((u) => unitDrift(u, states.get(u.name) ?? 'not reported')).filter((d): d is string => d !== null);
    if (!drift.length) return [result(id, 'pass', want, actual, `${actual} (${source(node)})`)];
    return [result(id, 'fail', want, actual, `${drift.join('; ')} (${source(node)}): \`systemctl enable|mask UNIT\` puts it back`)];
  },
};
