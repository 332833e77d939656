// One shape for a piece of node-side evidence: there, not there (with why), or unreadable (with
// the problem). The same shape as the engine's Fact<T> (issue 15), so the two can merge.
export type Fact<T> = { ok: T } | { absent: string } | { error: string };

export const okFact = <T>(value: T): Fact<T> => ({ ok: value });
export const absentFact = <T>(reason: string): Fact<T> => ({ absent: reason });
export const errorFact = <T>(problem: string): Fact<T> => ({ error: problem });
