// NodeConfig → a Butane config, variant flatcar 1.0.0 (coreos/butane base/v0_4), which Butane
// translates to the same Ignition 3.3.0 config render writes: it is that config with Butane's
// spellings — file contents inline as text, ssh_authorized_keys — so the two cannot drift.
import { parse } from 'yaml';
import { isDeepStrictEqual } from 'node:util';
import { decodeDataUrl } from './data-url.js';
import { ignitionConfig } from './ignition.js';
import { ignitionProblems } from './ignition-schema.js';
import type { NodeConfig } from './model.js';
import { yaml11Text } from './yaml11.js';
import { QUIET_YAML } from '../util/yaml-quiet.js';

export const BUTANE_VARIANT = 'flatcar';
export const BUTANE_VERSION = '1.0.0';

export function butaneConfig(c: NodeConfig): Record<string, unknown> {
  const ign = ignitionConfig(c);
  return {
    variant: BUTANE_VARIANT,
    version: BUTANE_VERSION,
    ...(ign.passwd ? { passwd: { users: ign.passwd.users.map((u) => ({ name: u.name, ...(u.sshAuthorizedKeys ? { ssh_authorized_keys: u.sshAuthorizedKeys } : {}) })) } } : {}),
    ...(ign.storage ? { storage: { files: ign.storage.files.map((f) => ({ path: f.path, mode: f.mode, overwrite: f.overwrite, contents: { inline: decodeDataUrl(f.contents.source) } })) } } : {}),
    ...(ign.systemd ? { systemd: ign.systemd } : {}),
  };
}

// YAML as Butane's go-yaml v3 reads it: modes as 0644, as Butane's docs write them.
export const butaneText = (config: Record<string, unknown>): string => yaml11Text(config);

// Problems with a rendered Butane config: those of the Ignition config it is made from, and any
// difference between what the text reads back as and what was meant.
export function butaneProblems(c: NodeConfig, text: string): string[] {
  const ign = ignitionProblems(ignitionConfig(c));
  return isDeepStrictEqual(parse(text, { ...QUIET_YAML, version: '1.1' }), butaneConfig(c)) ? ign : [...ign, 'the Butane text does not read back as the config it was written from'];
}
