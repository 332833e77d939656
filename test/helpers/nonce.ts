// Replies recorded or written by hand carry TEST_NONCE where a node would print its request's
// nonce (util/frames.ts); the fake transports put the request's own nonce in its place.
export const TEST_NONCE = 'feedc0defeedc0de';

// A one-shot command as the client sends it (util/frame-shell.ts withNonce): its nonce and the
// constant script after it, or the command as it was when it has none.
export function splitNonce(command: string): { nonce?: string; script: string } {
  const m = /^clusterctl_nonce=([0-9a-f]{16})\n/.exec(command);
  return m ? { nonce: m[1], script: command.slice(m[0].length) } : { script: command };
}

// A canned reply with the request's nonce where it says TEST_NONCE.
export const withRequestNonce = (text: string, nonce: string | undefined): string => (nonce ? text.split(TEST_NONCE).join(nonce) : text);
