// The first line, trimmed: what `hostname` prints and what /etc/hostname holds.
export function parseHostname(body: string): string {
  return (body.split('\n')[0] ?? '').trim();
}

// cat's wording differs (GNU: "cat: /etc/hostname: No such file or directory", busybox:
// "cat: can't open '/etc/hostname': No such file or directory") but both say this.
export function isMissingFile(rc: number, body: string): boolean {
  return rc !== 0 && /No such file or directory/.test(body);
}
