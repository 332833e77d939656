import type { Io } from '../io.js';
import type { Report, RunObserver } from '../run/results.js';
import { formatJson } from './json.js';

// A printer observes a run: the command starts the engine with the printer as its observer,
// then hands it the report. No printer starts, wraps or waits on a run.
export interface Printer extends RunObserver {
  done(report: Report): void; // the run is over: what is left to print (the summary, the JSON)
  abort(): void; // the run failed: let go of the terminal, print nothing more
}

// --json: nothing while the run goes, the whole report at the end.
export function jsonPrinter(io: Io): Printer {
  return { done: (report) => void io.stdout.write(formatJson(report)), abort: () => undefined };
}
