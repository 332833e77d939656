import assert from 'node:assert/strict';
import { splitSections } from '../../src/facts/probe.js';
import type { ProbeSectionOutput } from '../../src/facts/probe.js';
import { TEST_NONCE } from './nonce.js';

// The probe's sections of a reply framed with `nonce` (TEST_NONCE: runIn, probeOutput, fixtures); a section
// sent twice fails the test.
export function sectionsOf(reply: string, nonce = TEST_NONCE): Map<string, ProbeSectionOutput> {
  const out = new Map<string, ProbeSectionOutput>();
  for (const [name, s] of splitSections(reply, nonce)) {
    assert.ok(!('error' in s), `${name}: ${'error' in s ? s.error : ''}`);
    out.set(name, s);
  }
  return out;
}
