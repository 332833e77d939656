import assert from 'node:assert/strict';
import { SshError } from '../../src/transport/errors.js';

// The SshError a connection attempt must end with (a test fails if it connects instead).
export async function sshFailure(p: Promise<unknown>): Promise<SshError> {
  const err = await p.then(() => assert.fail('expected the connection to fail'), (e: unknown) => e);
  assert.ok(err instanceof SshError, `expected SshError, got ${String(err)}`);
  return err;
}
