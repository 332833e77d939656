import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectApis } from '../../../src/etcdctl/detect.js';
import type { Transport } from '../../../src/transport/types.js';
import { localSh } from '../../helpers/local-sh.js';

// v3 works; v2 answers like etcd 3.4 without --enable-v2.
const V3_ONLY = `#!/bin/sh
if [ "$ETCDCTL_API" = 2 ]; then echo 'Error:  client: response is invalid json. The endpoint is probably not valid etcd cluster endpoint' >&2; exit 4; fi
echo '{"header":{}}'
`;

describe('remote scripts under a real sh', () => {
  test('detectApis: v3 yes, v2 no with the reason, and the etcdctl path', async () => {
    const d = await detectApis(localSh(V3_ONLY), { endpoints: ['http://127.0.0.1:2379'] }, 5000);
    assert.equal(d.v3, true);
    assert.equal(d.v2, false);
    assert.match(d.etcdctl ?? '', /clusterctl-etcdctl-.*\/etcdctl$/);
    assert.match(d.v2Error ?? '', /^etcdctl exited 4: .*does not serve the v2 API/);
    assert.equal(d.error, undefined);
  });

  test('detectApis: no etcdctl in PATH', async () => {
    const t: Transport = { ...localSh(''), exec: (c, o) => localSh('').exec(c.replace('command -v etcdctl', 'command -v etcdctl-not-here'), o) };
    const d = await detectApis(t, { endpoints: ['http://x'] }, 5000);
    assert.deepEqual([d.v2, d.v3, d.etcdctl], [false, false, null]);
    assert.match(d.error ?? '', /etcdctl not found/);
  });

});
