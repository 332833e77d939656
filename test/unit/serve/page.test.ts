import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { statusPage } from '../../../src/serve/page.js';
import { ServeState } from '../../../src/serve/state.js';
import { healthy, nodeReport, r, round } from './fixtures.js';

describe('the status page', () => {
  test('before the first round: says so', () => {
    assert.match(statusPage(new ServeState(['a'])), /No round completed yet/);
  });

  test('failing nodes first, a symbol in each cell besides its colour, node text escaped, lease shown', () => {
    const s = new ServeState(['a', 'b', 'c']);
    s.update(round(healthy('a'), nodeReport('b', [r('ssh', 'pass'), r('hostname', 'fail', '<script>alert(1)</script>\u202e'), r('net.route', 'pass'), r('flannel.lease', 'pass')]), healthy('c')), Date.UTC(2026, 11, 5));
    const page = statusPage(s, { refreshS: 30 });
    const rows = [...page.matchAll(/<tr(?: class="down")? data-node="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(rows, ['b', 'a', 'c']);
    assert.match(page, /<td class="c fail" title="b hostname: FAIL since 2026-12-05 00:00:00Z — &lt;script&gt;alert\(1\)&lt;\/script&gt;\\u202e" data-node="b" data-check="hostname" data-status="fail">✘<\/td>/);
    assert.ok(!page.includes('<script>'));
    assert.ok(!page.includes('\u202e'));
    assert.match(page, /<td class="c pass"[^>]*>✔<\/td>/);
    assert.match(page, /<td class="lease">10\.1\.7\.1\/24<\/td>/);
    assert.match(page, /<meta http-equiv="refresh" content="30">/);
    assert.match(page, /✘ 1 problem on 1 of 3 nodes/);
    assert.doesNotMatch(page, /https?:\/\//, 'nothing from outside');
  });

  test('an unreachable node is marked in words, not by colour alone', () => {
    const s = new ServeState(['a', 'b']);
    s.update(round(healthy('a'), nodeReport('b', [r('ssh', 'error', 'connection refused')], false)), 0);
    assert.match(statusPage(s), /<tr class="down" data-node="b"><th>b \(unreachable\)<\/th>/);
  });
});
