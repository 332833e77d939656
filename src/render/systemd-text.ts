// Inventory values written into systemd unit files stay data: quoted and escaped so that no
// quote, newline, `%` specifier or `$` expansion can change the line they are on.

// C-style escapes systemd undoes inside a quoted word (systemd.syntax(7), "Quoting").
function cEscape(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

// `Environment="NAME=value"`. Environment= expands `%` specifiers but never `$`.
export function environmentLine(name: string, value: string): string {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`bad environment variable name ${name}`);
  return `Environment="${name}=${cEscape(value).replace(/%/g, '%%')}"`;
}

// One word of an Exec*= command line. Exec lines expand both `%` specifiers and `$VAR`, so
// both are doubled; a word with anything but plain characters is double-quoted.
export function execWord(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_@+=:,./-]+$/.test(value)) return value;
  return `"${cEscape(value).replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

// An Exec*= line of quoted words, one per continuation line; `raw` (e.g. `$EXTRA_ARGS`, which
// systemd splits into words) is appended as it is, so it must be a constant, never inventory data.
export function execLine(key: string, words: readonly string[], raw?: string): string {
  return `${key}=${[...words.map(execWord), ...(raw === undefined ? [] : [raw])].join(' \\\n  ')}`;
}

// A unit or drop-in file: sections in order, one key=value line each, a newline at the end.
export function unitFile(sections: readonly { name: string; lines: readonly string[] }[]): string {
  return `${sections
    .filter((s) => s.lines.length > 0)
    .map((s) => [`[${s.name}]`, ...s.lines].join('\n'))
    .join('\n\n')}\n`;
}
