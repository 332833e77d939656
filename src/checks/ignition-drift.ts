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

// Why a file's state could not be read, or undefined when it was.
const unreadFile = (want: ProvisionedFile, got: FileState | undefined): string | undefined =>
  !got ? `${want.path}: not reported` : got.state === 'error' ? `${want.path}: ${got.error}` : undefined;

// What differs between one file as the config wrote it and as it is; null: nothing.
function fileDrift(want: ProvisionedFile, got: FileState): string | null {
  if (got.state === 'error') return null; // not read: unreadFile says so
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
    // A file that could not be read is never drift: an error, unless others did drift.
    const unread = files.map((f, i) => unreadFile(f, got[i])).filter((u): u is string => u !== undefined);
    const drift = files.map((f, i) => (got[i] === undefined ? null : fileDrift(f, got[i]))).filter((d): d is string => d !== null);
    const unknown = files.filter((f) => !f.contentKnown).length;
    const note = unknown ? ` (${unknown} whose bytes the config does not hold, e.g. ${files.find((f) => !f.contentKnown)?.why ?? 'a remote source'}: presence and mode only)` : '';
    if (drift.length) return [result(id, 'fail', want, `${drift.length} changed`, `changed behind Ignition's back (${source(node)}): ${drift.join('; ')}${unread.length ? `; could not read ${unread.join('; ')}` : ''}`)];
    if (unread.length) return [result(id, 'error', want, null, `Could not check: ${unread.join('; ')}`)];
    return [result(id, 'pass', want, want, `${files.length} file${files.length === 1 ? '' : 's'} as ${source(node)} wrote them${note}`)];
  },
};

// The words `systemctl is-enabled` answers with (systemctl(1), systemd 252), and not-found (for a
// missing unit since systemd 246; older ones say "Failed to get unit file state for U: No such
// file or directory"). Anything else (`System has not been booted with systemd`, a bus error, the
// probe's "systemctl: not run", output cut short) is a state that could not be read.
const IS_ENABLED = new Set(['enabled', 'enabled-runtime', 'linked', 'linked-runtime', 'alias', 'masked', 'masked-runtime', 'static', 'indirect', 'disabled', 'generated', 'transient', 'bad', 'not-found']);
const stateOf = (answer: string): string | undefined =>
  IS_ENABLED.has(answer) ? answer : /^Failed to get unit file state for .*: No such file or directory$/.test(answer) ? 'not-found' : undefined;

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
    // A state that could not be read is never drift: as the service check, PID 1 that is not
    // systemd is a skip, and a unit whose state systemctl did not give is an error.
    const init = facts.init;
    if (!('ok' in init)) return [factError(id, init, want)];
    if (init.ok !== 'systemd') return [result(id, 'skip', want, null, `PID 1 is '${init.ok}', not systemd, so unit states cannot be read`)];
    const answers = new Map(facts.provisioned.ok.units.map((u) => [u.name, u.state]));
    const read = units.map((u) => ({ want: u, answer: answers.get(u.name) ?? 'not reported', state: stateOf(answers.get(u.name) ?? '') }));
    const actual = list(read.map((r) => `${r.want.name} ${r.state ?? 'unknown'}`));
    const unread = read.filter((r) => r.state === undefined).map((r) => `${r.want.name}: ${r.answer}`);
    const drift = read.flatMap((r) => (r.state === undefined ? [] : [unitDrift(r.want, r.state)])).filter((d): d is string => d !== null);
    const alsoUnread = unread.length ? `; could not read ${unread.join('; ')}` : '';
    if (drift.length) return [result(id, 'fail', want, actual, `${drift.join('; ')} (${source(node)}): \`systemctl enable|mask UNIT\` puts it back${alsoUnread}`)];
    if (unread.length) return [result(id, 'error', want, null, `Could not check: ${unread.join('; ')}`)];
    return [result(id, 'pass', want, actual, `${actual} (${source(node)})`)];
  },
};
