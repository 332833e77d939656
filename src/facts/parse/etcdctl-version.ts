// The etcdctl on a node and the API it speaks when ETCDCTL_API is unset, which is what a unit's
// `ExecStartPre=/usr/bin/etcdctl set …` gets. The probe asks with ETCDCTL_API removed from the
// environment: `etcdctl version` (3.4+, v3 by default: "API version: 3.4"), else
// `etcdctl --version` (≤ 3.3, v2 by default: "API version: 2"). Pure.
import { bad, ok } from './common.js';
import type { Parsed } from './common.js';

export interface EtcdctlVersionFact {
  version: string; // 3.4.23
  major: number;
  minor: number;
  defaultApi: 'v2' | 'v3'; // what plain `etcdctl CMD` speaks
  apiVersion: string; // as printed: "2", "3.4"
}

export function parseEtcdctlVersion(body: string): Parsed<EtcdctlVersionFact> {
  const version = /^etcdctl version:\s*v?(\d+)\.(\d+)(?:\.\d+)?\S*\s*$/m.exec(body);
  const api = /^API version:\s*(\d+(?:\.\d+)?)\s*$/m.exec(body);
  if (!version || !api) return bad(`not the output of etcdctl version: ${body.trim().split('\n')[0]?.slice(0, 80) ?? ''}`);
  const full = (version[0].split(':')[1] ?? '').trim().replace(/^v/, '');
  const apiVersion = api[1] ?? '';
  return ok({ version: full, major: Number(version[1]), minor: Number(version[2]), defaultApi: apiVersion.startsWith('2') ? 'v2' : 'v3', apiVersion });
}

// `flanneld --version` prints its version alone ("v0.14.0") on stderr, which the probe merges.
export function parseFlanneldVersion(body: string): Parsed<string> {
  const line = body.split('\n').map((l) => l.trim()).find((l) => /^v?\d+\.\d+(?:\.\d+)?(?:[-+][\w.+-]*)?$/.test(l));
  return line ? ok(line) : bad(`not a flanneld version: ${body.trim().split('\n')[0]?.slice(0, 80) ?? ''}`);
}
