// A health endpoint's answer as `curl -sk -o - -w '\n%{http_code}' URL` prints it on the node:
// the body, a newline, the status code (000 when there was no HTTP answer), and curl's exit
// code saying why not. Pure.

export type HttpAnswer =
  | { kind: 'http'; status: number; body: string }
  | { kind: 'refused' } // nothing listens (curl 7)
  | { kind: 'timeout' } // no answer in time (curl 28)
  | { kind: 'failed'; detail: string }; // any other curl failure (TLS, reset, resolve …)

// curl's exit codes that mean something here (man curl, EXIT CODES).
const CURL_EXIT: Readonly<Record<number, string>> = {
  6: 'could not resolve the host',
  7: 'connection refused',
  28: 'timed out',
  35: 'TLS handshake failed',
  52: 'empty reply from the server',
  56: 'connection reset while receiving',
};

// stdout and curl's exit code → the answer. Only the last line is the status; the body may hold
// anything, newlines included.
export function parseCurlAnswer(stdout: string, exitCode: number): HttpAnswer {
  const cut = stdout.lastIndexOf('\n');
  const codeText = (cut < 0 ? stdout : stdout.slice(cut + 1)).trim();
  const body = cut < 0 ? '' : stdout.slice(0, cut);
  const status = /^\d{3}$/.test(codeText) ? Number(codeText) : 0;
  if (status >= 100) return { kind: 'http', status, body };
  if (exitCode === 7) return { kind: 'refused' };
  if (exitCode === 28) return { kind: 'timeout' };
  if (exitCode === 127) return { kind: 'failed', detail: 'curl is not installed on the node' };
  return { kind: 'failed', detail: CURL_EXIT[exitCode] ? `${CURL_EXIT[exitCode]} (curl exit ${exitCode})` : `curl exit ${exitCode}` };
}

// A /healthz, /livez or /readyz body in words: "ok", else its failed checks ("[-]etcd failed").
export function healthBody(body: string): string {
  const text = body.trim();
  if (text === 'ok') return 'ok';
  const failed = text.split('\n').filter((l) => l.startsWith('[-]')).map((l) => l.slice(3).trim());
  if (failed.length) return `failed: ${failed.slice(0, 5).join('; ')}${failed.length > 5 ? ` (+${failed.length - 5} more)` : ''}`;
  const one = text.replace(/\s+/g, ' ');
  return one.length > 120 ? `${one.slice(0, 120)}…` : one || '(empty body)';
}

// One answer in a few words, for a message's "actual".
export function describeAnswer(a: HttpAnswer): string {
  switch (a.kind) {
    case 'http':
      return `${a.status} ${healthBody(a.body)}`;
    case 'refused':
      return 'connection refused';
    case 'timeout':
      return 'no answer (timed out)';
    case 'failed':
      return a.detail;
  }
}
