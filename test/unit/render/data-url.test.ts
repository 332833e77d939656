import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dataUrl, decodeDataUrl } from '../../../src/render/data-url.js';

describe('dataUrl', () => {
  test('unreserved characters stay, everything else is percent-encoded', () => {
    assert.equal(dataUrl('app-etcd-1\n'), 'data:,app-etcd-1%0A');
    assert.equal(dataUrl('[Match]\nName=eth0\n'), 'data:,%5BMatch%5D%0AName%3Deth0%0A');
  });
  test('UTF-8 is encoded byte by byte', () => {
    assert.equal(dataUrl('é'), 'data:,%C3%A9');
  });
  test('any text round-trips and the URL is plain ASCII with no space', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const url = dataUrl(s);
        assert.match(url, /^data:,[A-Za-z0-9._~%-]*$/);
        assert.equal(decodeDataUrl(url), s);
      }),
    );
  });
  test('decodeDataUrl refuses what is not a percent-encoded data URL', () => {
    assert.equal(decodeDataUrl('https://example.invalid/x'), undefined);
    assert.equal(decodeDataUrl('data:,%E0%A4%A'), undefined);
  });
});
