// A file's contents as Ignition gets them: a data URL (RFC 2397: percent-encoded, as ct and
// render write it, or base64, as Butane writes it), optionally gzip-compressed. Remote sources
// (http, s3, tftp …) are not fetched: their contents stay unknown, and say why. Pure.
import { gunzipSync } from 'node:zlib';

export type Contents = { known: true; bytes: Buffer } | { known: false; why: string; undecodable?: boolean };

function percentDecode(data: string): Buffer | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const c = data[i] as string;
    if (c === '%') {
      const hex = data.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes);
}

export function decodeContents(source: string | null | undefined, compression?: string | null): Contents {
  if (source === undefined || source === null) return { known: true, bytes: Buffer.alloc(0) };
  const m = /^data:([^,]*),(.*)$/s.exec(source);
  if (!m) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(source)?.[1];
    return scheme ? { known: false, why: `fetched from ${scheme}: at provisioning (import does not fetch)` } : { known: false, why: `the source ${JSON.stringify(source.slice(0, 60))} is not a URL`, undecodable: true };
  }
  const base64 = /;base64$/i.test(m[1] ?? '');
  const raw = percentDecode(m[2] ?? '');
  if (!raw) return { known: false, why: 'the data URL does not decode: a % is not followed by two hex digits', undecodable: true };
  let bytes = raw;
  if (base64) {
    const b64 = raw.toString('latin1').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) return { known: false, why: 'the data URL says base64, but its data is not base64', undecodable: true };
    bytes = Buffer.from(b64, 'base64');
  }
  if (compression === 'gzip') {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      return { known: false, why: `the data is marked gzip but does not gunzip (${err instanceof Error ? err.message : String(err)})`, undecodable: true };
    }
  } else if (compression) return { known: false, why: `compression ${compression} is not one import can undo (gzip is)`, undecodable: true };
  return { known: true, bytes };
}
