// Text for an HTML page: the terminal escapes first (report/sanitize.ts: controls and bidi
// overrides made visible), then the characters HTML gives meaning to.
import { sanitize } from '../report/sanitize.js';

const ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const html = (text: string): string => sanitize(text).replace(/[&<>"']/g, (ch) => ENTITY[ch] ?? ch);
