// One fact about a node, in one shape: read (ok), known not to be there (absent, with why: a file
// that does not exist, a node without systemd), or not readable (error, with the problem in words
// a user can act on). The engine's facts (facts/types.ts) and the Kubernetes evidence (kube/) both
// use it, and every check says "could not check" one way: from `error`.
export type Fact<T> = { ok: T } | { absent: string } | { error: string };

export const okFact = <T>(value: T): Fact<T> => ({ ok: value });
export const absentFact = (why: string): Fact<never> => ({ absent: why });
export const errorFact = (problem: string): Fact<never> => ({ error: problem });
export const has = <T>(f: Fact<T>): f is { ok: T } => 'ok' in f;
// The value, or undefined when absent or unreadable.
export const valueOf = <T>(f: Fact<T> | undefined): T | undefined => (f && 'ok' in f ? f.ok : undefined);
