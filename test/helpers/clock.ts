import type { Clock } from '../../src/run/poll.js';

// A clock that only moves when slept on (or when a test moves it): no real waiting.
export function fakeClock(): Clock & { slept: number[]; advance(ms: number): void } {
  let t = 0;
  const c = {
    slept: [] as number[],
    now: () => t,
    sleep: async (ms: number) => {
      c.slept.push(ms);
      t += ms;
    },
    advance: (ms: number) => void (t += ms),
  };
  return c;
}
