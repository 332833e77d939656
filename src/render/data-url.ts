// RFC 2397 data URL with percent-encoding, as Ignition's `contents.source` takes it. Every byte
// outside the unreserved set is escaped, so the URL is plain ASCII and the same every time.
export function dataUrl(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = 'data:,';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    out += /[A-Za-z0-9._~-]/.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// The inverse, for validation and tests: undefined when `url` is not a percent-encoded data URL.
export function decodeDataUrl(url: string): string | undefined {
  if (!url.startsWith('data:,')) return undefined;
  try {
    return decodeURIComponent(url.slice('data:,'.length));
  } catch {
    return undefined;
  }
}
