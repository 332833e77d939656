// Why a node could not be reached. Becomes that node's `ssh` check result, never a crash; the
// kind decides whether --retries may try again (network trouble) or not (trust and auth).

export type SshFailureKind =
  | 'refused'
  | 'timeout' // TCP connect or SSH handshake did not finish in time (blackholed or stalled)
  | 'unreachable'
  | 'network' // anything else on the wire: reset, closed mid-handshake
  | 'host-key'
  | 'auth'
  | 'key-file'
  | 'config'
  | 'aborted';

export class SshError extends Error {
  override name = 'SshError';
  constructor(
    readonly kind: SshFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// Only failures another attempt might fix. Host-key, auth, key-file and config failures are
// decisions or mistakes: repeating them would only hammer the node (and its fail2ban).
export function isRetryable(err: unknown): boolean {
  return err instanceof SshError && (err.kind === 'refused' || err.kind === 'timeout' || err.kind === 'unreachable' || err.kind === 'network');
}

// Turn an ssh2 / socket error into a reason that says which fault it was and what to do.
export function classify(err: Error & { level?: string; code?: string }, connectTimeoutMs: number): SshError {
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return new SshError('refused', 'connection refused (is sshd running on the node?)', { cause: err });
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new SshError('unreachable', `no route to host (${code})`, { cause: err });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new SshError('unreachable', `cannot resolve host name (${code})`, { cause: err });
  if (code === 'ETIMEDOUT') return new SshError('timeout', `TCP connect timed out (${code}): host down or packets dropped`, { cause: err });
  if (err.level === 'client-authentication')
    return new SshError('auth', `authentication failed: the node refused every key offered (check identityFile, ssh-agent and the node's authorized_keys)`, { cause: err });
  if (err.level === 'client-timeout') return new SshError('timeout', `connect timed out after ${connectTimeoutMs / 1000}s`, { cause: err });
  return new SshError('network', err.message, { cause: err });
}
