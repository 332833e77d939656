import { flannelKeyNodes } from './applies.js';
import { validateFlannelConfig } from '../flannel/config.js';
import { keyVerdict } from '../flannel/key-verdict.js';
import { prefixMismatches } from '../flannel/prefix.js';
import { etcdNodes } from '../inventory/select.js';
import { viewOf } from './cluster-view.js';
import { valueOf } from '../facts/types.js';
import type { Check } from './types.js';
import { factError, result } from './result.js';

// The config key flanneld reads: there, in the keyspace each node's flannel reads (decided per
// node from the flannel it runs, flannel/keyspace.ts), and valid. Read on the etcd nodes (the
// gatherer runs there) and reported there, once for the cluster.
export const flannelConfigCheck: Check = {
  id: 'flannel.config',
  scope: 'cluster',
  appliesTo: flannelKeyNodes,
  needs: ['flannelConfig'],
  run(node, facts, ctx) {
    const id = 'flannel.config';
    const s = ctx.inventory.cluster.flannel;
    if (!s.enabled) return [];
    const { readers, warnings } = viewOf(ctx).readers;
    const spaces = readers.length ? readers.map((r) => r.api).join(' and ') : s.etcdApi === 'auto' ? 'v2' : s.etcdApi;
    const want = [`${s.configKey} (${spaces})`, s.network && `Network ${s.network}`].filter(Boolean).join(', ');
    // The key is cluster-wide: it is reported on the etcd nodes, which read it (appliesTo).
    if (etcdNodes(ctx.inventory).length === 0) return [result(id, 'skip', want, null, 'no etcd node in the inventory to read the config key through (give a node the etcd role)')];
    if (!('ok' in facts.flannelConfig)) return [factError(id, facts.flannelConfig, want)];
    const fact = facts.flannelConfig.ok;
    // Where the flanneld units say flanneld reads (FLANNELD_ETCD_PREFIX / --etcd-prefix).
    const elsewhere = prefixMismatches(s.configKey, ctx.inventory.nodes.flatMap((n) => {
      const files = valueOf(viewOf(ctx).facts.get(n.name)?.flannelUnit);
      return files ? [{ node: n.name, files }] : [];
    }));
    if (elsewhere.length) {
      return [result(id, 'fail', want, elsewhere.join('; '), `flannel reads its config from <etcd prefix>/config, and not from ${s.configKey} on ${elsewhere.join('; ')}: set cluster.flannel.configKey to the key flanneld reads, or FLANNELD_ETCD_PREFIX to ${s.configKey.replace(/\/config\/*$/, '')}`)];
    }
    const r = keyVerdict(fact, readers);
    if (r.kind === 'unreadable') return [result(id, 'error', want, null, `Could not check: ${r.message}`)];
    if (r.kind === 'missing') return [result(id, 'fail', want, 'missing', r.message)];
    const v = validateFlannelConfig(r.value, { ...(s.network ? { network: s.network } : {}), ...(s.subnetLen ? { subnetLen: s.subnetLen } : {}) });
    if (!v.ok) return [result(id, 'fail', want, r.value, `${r.where}: ${v.problems.join('; ')}`)];
    const c = v.config;
    const notes = [...r.warnings, ...warnings, ...v.warnings.map((w) => `warning: ${w}`)];
    const summary = `Network ${c.network}, SubnetLen ${c.subnetLen}, Backend ${c.backendType}`;
    // A pass with warnings leads with them, so "warning:" starts the message (docs/checks.md).
    return [result(id, 'pass', want, r.value, notes.length ? `${notes.join('; ')} — ${summary} — ${r.where}` : `${summary} — ${r.where}`)];
  },
};
