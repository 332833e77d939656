import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { decodeContents } from '../../../src/import/data-url.js';
import { dataUrl } from '../../../src/render/data-url.js';

const text = (c: ReturnType<typeof decodeContents>) => (c.known ? c.bytes.toString('utf8') : `unknown: ${c.why}`);

describe('decodeContents', () => {
  test("render's percent-encoding, ct's, base64, gzip, none", () => {
    assert.equal(text(decodeContents(dataUrl('a b\n"é"%'))), 'a b\n"é"%');
    assert.equal(text(decodeContents('data:,app-etcd-1%0A')), 'app-etcd-1\n');
    assert.equal(text(decodeContents('data:text/plain;charset=utf-8;base64,aGk=')), 'hi');
    assert.equal(text(decodeContents(`data:;base64,${gzipSync('zipped').toString('base64')}`, 'gzip')), 'zipped');
    assert.equal(text(decodeContents(undefined)), '');
    assert.equal(text(decodeContents('data:,')), '');
  });
  test('what cannot be decoded says why; remote sources are not fetched', () => {
    assert.deepEqual(decodeContents('data:,50%'), { known: false, why: 'the data URL does not decode: a % is not followed by two hex digits', undecodable: true });
    assert.equal(decodeContents('data:;base64,!!').known, false);
    assert.match(text(decodeContents('data:,notgzip', 'gzip')), /does not gunzip/);
    assert.match(text(decodeContents('data:,x', 'xz')), /compression xz/);
    assert.deepEqual(decodeContents('s3://bucket/key'), { known: false, why: 'fetched from s3: at provisioning (import does not fetch)' });
  });
});
