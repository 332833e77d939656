// A certificate's expiry and subject as `openssl x509 -noout -enddate -subject -in FILE` prints
// them (OpenSSL 1.0: "subject= /CN=x", 1.1 and 3: "subject=CN = x"). Pure.
import type { Fact } from './fact.js';

export interface CertInfo {
  notAfter: Date;
  subject: string; // as openssl printed it, trimmed
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// "Dec  2 07:46:54 2027 GMT" → a Date; openssl always prints GMT.
export function parseOpensslDate(text: string): Date | undefined {
  const m = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/.exec(text.trim());
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1] ?? '');
  if (month < 0) return undefined;
  return new Date(Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])));
}

export function parseX509Text(text: string, file: string): Fact<CertInfo> {
  const lines = text.split('\n').map((l) => l.trim());
  const end = lines.find((l) => l.startsWith('notAfter='));
  const subject = lines.find((l) => l.startsWith('subject='))?.slice('subject='.length).trim() ?? '';
  if (end === undefined) {
    const first = lines.find((l) => l !== '') ?? 'no output';
    return { error: `${file}: openssl printed no notAfter= line (${first.slice(0, 100)}); is it a PEM certificate?` };
  }
  const notAfter = parseOpensslDate(end.slice('notAfter='.length));
  if (!notAfter) return { error: `${file}: cannot read the date in "${end.slice(0, 60)}"` };
  return { ok: { notAfter, subject } };
}

// The CN of a subject in either openssl format, for messages; the whole subject when none.
export function commonName(subject: string): string {
  const m = /(?:^|[/,]\s*)CN\s*=\s*([^,/]+)/.exec(subject);
  return m?.[1]?.trim() ?? subject;
}
