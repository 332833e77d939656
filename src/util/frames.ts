// The one framing of everything a node says, read back. A reply (the probe's, a batch's, smoke's
// API detection) is a run of parts, each
//
//   @@clusterctl:begin NONCE NAME
//   | a line of the part's output ("| " before every line, so no node text starts a line as a marker)
//   @@clusterctl:end NONCE NAME rc=N[ key=value…]
//
// NONCE is the client's, made for the request (util/frame-shell.ts newNonce) and never known to
// the node before it: a marker line with another nonce, or none, is node text gone astray and is
// ignored. Pure and linear; a part's reader gets its own body and nothing else.

export const MARKER = '@@clusterctl:';

export interface Part {
  rc: number;
  attrs: Readonly<Record<string, string>>; // the end line's key=value words after rc (fmt, cut, …)
  body: string; // the part's lines, "| " removed, joined by line breaks
}

// A part, or why it cannot be read (its name came twice in one reply).
export type PartRead = Part | { error: string };
export type Parts = ReadonlyMap<string, PartRead>;

export const NAME = /^[a-z0-9][a-z0-9._-]*$/;
const END = /^([a-z0-9][a-z0-9._-]*) rc=(\d+)((?: [a-z]+=[^ ]*)*)$/;
const NONCE = /^[0-9a-f]{16}$/;

// The parts of `reply` framed with `nonce`. A part without its end line (the reply was cut short)
// is missing; lines that are neither "| " text inside a part nor a marker with this nonce are
// ignored; a name sent twice is an error for that part only. No nonce (the request was never
// sent): no parts.
export function readParts(reply: string, nonce: string): Parts {
  const parts = new Map<string, PartRead>();
  if (!NONCE.test(nonce)) return parts;
  const begin = `${MARKER}begin ${nonce} `;
  const end = `${MARKER}end ${nonce} `;
  let open: { name: string; lines: string[] } | null = null;
  for (const line of reply.split('\n')) {
    if (line.startsWith('| ')) {
      open?.lines.push(line.slice(2));
    } else if (line.startsWith(begin)) {
      const name = line.slice(begin.length);
      open = NAME.test(name) ? { name, lines: [] } : null;
    } else if (line.startsWith(end)) {
      const m = END.exec(line.slice(end.length));
      if (m && open && m[1] === open.name) {
        const attrs: Record<string, string> = {};
        for (const w of (m[3] ?? '').split(' ').filter(Boolean)) {
          const at = w.indexOf('=');
          attrs[w.slice(0, at)] = w.slice(at + 1);
        }
        const name = open.name;
        parts.set(name, parts.has(name) ? { error: 'sent twice in one reply' } : { rc: Number(m[2]), attrs, body: open.lines.join('\n') });
      }
      open = null;
    }
  }
  return parts;
}

// A part that came whole once, or undefined (missing, cut short or sent twice).
export function partOf(parts: Parts, name: string): Part | undefined {
  const p = parts.get(name);
  return p && !('error' in p) ? p : undefined;
}

// The parts named `prefix` or `prefix.…`: all that one reader of a larger reply (a batch) sees.
export function partsUnder(parts: Parts, prefix: string): Parts {
  return new Map([...parts].filter(([name]) => name === prefix || name.startsWith(`${prefix}.`)));
}

// "| " before each line of `text` (its trailing line breaks dropped): a part's body as the node
// prints it, for tests and recorded replies.
export function framePart(nonce: string, name: string, rc: number, body: string, attrs = ''): string {
  const text = body.replace(/\n+$/, '');
  const lines = text === '' ? '' : `${text.split('\n').map((l) => `| ${l}`).join('\n')}\n`;
  return `${MARKER}begin ${nonce} ${name}\n${lines}${MARKER}end ${nonce} ${name} rc=${rc}${attrs}\n`;
}
