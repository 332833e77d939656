import { flannelNodes } from './applies.js';
import { readFlanneldUnit } from '../facts/parse/flanneld-unit.js';
import { judgeWriter, keyWriters } from '../flannel/dropin.js';
import { nodeKeyspace } from '../flannel/readers.js';
import { valueOf } from '../facts/types.js';
import { viewOf } from './cluster-view.js';
import type { Check } from './types.js';
import { result } from './result.js';

// A flanneld drop-in that writes the config key at every start (the setup guide's
// 50-network-config.conf): it must work with the node's etcdctl (fail: flanneld never starts),
// and its value should be the key's and the inventory's (a warning: the next restart puts it back).
// A node without such a drop-in passes, saying so.
export const flannelDropinCheck: Check = {
  id: 'flannel.dropin',
  scope: 'cluster',
  appliesTo: flannelNodes,
  needs: ['flannelConfig', 'etcdctlVersion'],
  run(node, facts, ctx) {
    const id = 'flannel.dropin';
    const s = ctx.inventory.cluster.flannel;
    if (!s.enabled) return [];
    const unit = valueOf(facts.flannelUnit);
    const writers = unit ? keyWriters(readFlanneldUnit(unit), s.configKey) : [];
    const view = viewOf(ctx);
    // Nothing writes the key at flanneld's start: nothing can break it or put an old value back.
    if (!writers.length) return [result(id, 'pass', 'no drop-in that breaks flanneld or overwrites the key', 'none', `no drop-in of ${node.name}'s flanneld.service writes ${s.configKey}`)];
    const decision = nodeKeyspace(ctx.inventory, facts);
    return writers.map((w) => {
      const now = view.key[w.subApi];
      const v = judgeWriter(w, {
        node: node.name,
        key: s.configKey,
        etcdctl: valueOf(facts.etcdctlVersion) ?? null,
        ...('ok' in facts.etcdctlVersion ? {} : { etcdctlError: 'error' in facts.etcdctlVersion ? facts.etcdctlVersion.error : facts.etcdctlVersion.absent }),
        ...(now ? { keyValue: { api: w.subApi, value: now.value } } : {}),
        ...(view.unserved[w.subApi] ? { unserved: true } : {}),
        ...(s.network ? { network: s.network } : {}),
        flannelApi: { api: decision.api, why: decision.why },
      });
      const want = `${w.file} works with ${node.name}'s etcdctl and writes what the key holds`;
      return result(id, v.ok ? 'pass' : 'fail', want, w.command, v.message);
    });
  },
};
