import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isMissingFile, parseHostname } from '../../../../src/facts/parse/hostname.js';

describe('resolv.conf and hostname', () => {
  test('hostname is the trimmed first line', () => {
    assert.equal(parseHostname('lab-node-1\n'), 'lab-node-1');
    assert.equal(parseHostname('  lab-node-1 \nsecond\n'), 'lab-node-1');
    assert.equal(parseHostname(''), '');
  });

  test('a missing file is told from other failures, GNU and busybox wording', () => {
    assert.equal(isMissingFile(1, 'cat: /etc/hostname: No such file or directory'), true);
    assert.equal(isMissingFile(1, "cat: can't open '/etc/hostname': No such file or directory"), true);
    assert.equal(isMissingFile(1, 'cat: /etc/hostname: Permission denied'), false);
    assert.equal(isMissingFile(0, ''), false);
  });
});
