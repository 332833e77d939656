// The kubelet's --config file (a KubeletConfiguration, kubelet.config.k8s.io/v1beta1): the few
// settings the kube.* checks read, which flags given on the command line override. Pure.
import { parse } from 'yaml';
import { QUIET_YAML } from '../util/yaml-quiet.js';
import type { Fact } from './fact.js';
import type { KubeletFlags } from './flags.js';

export type KubeletConfigSettings = Pick<KubeletFlags, 'healthzPort' | 'healthzBindAddress' | 'tlsCertFile'>;

export function parseKubeletConfig(text: string, file: string): Fact<KubeletConfigSettings> {
  let doc: unknown;
  try {
    doc = parse(text, QUIET_YAML);
  } catch (err) {
    return { error: `${file} is not valid YAML (${err instanceof Error ? err.message.split('\n')[0] : String(err)})` };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { error: `${file} is not a KubeletConfiguration (not a mapping)` };
  const o = doc as Record<string, unknown>;
  if (o.kind !== undefined && o.kind !== 'KubeletConfiguration') return { error: `${file} is a ${String(o.kind)}, not a KubeletConfiguration` };
  const out: KubeletConfigSettings = {};
  if (typeof o.healthzPort === 'number' && Number.isInteger(o.healthzPort)) out.healthzPort = o.healthzPort;
  if (typeof o.healthzBindAddress === 'string' && o.healthzBindAddress) out.healthzBindAddress = o.healthzBindAddress;
  if (typeof o.tlsCertFile === 'string' && o.tlsCertFile) out.tlsCertFile = o.tlsCertFile;
  return { ok: out };
}

// The settings in force: the config file's, with each flag on the command line winning, as the
// kubelet applies them.
export function effectiveKubelet(flags: KubeletFlags, config: Fact<KubeletConfigSettings> | undefined): KubeletFlags {
  return config !== undefined && 'ok' in config ? { ...config.ok, ...flags } : flags;
}
