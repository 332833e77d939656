import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LiveArea } from '../../../src/report/live.js';
import { fakeScreen, screenOf } from '../../helpers/screen.js';

describe('the live area', () => {
  test('each frame erases only its own rows, writes what was printed since, then the live lines', () => {
    const screen = fakeScreen(80, 24);
    let live = ['a', 'b'];
    const area = new LiveArea(screen, () => live, { tickMs: 0 });
    area.draw();
    area.print('done 1\n');
    live = ['c'];
    area.draw();
    area.draw();
    assert.deepEqual(screen.writes, ['a\nb\n', '\x1b[2A\x1b[Jdone 1\nc\n', '\x1b[1A\x1b[Jc\n']);
    area.close();
    area.print('after\n');
    assert.deepEqual(screenOf(screen.raw()), ['done 1', 'after']);
  });

  test('never taller than the screen less two rows', () => {
    const screen = fakeScreen(80, 6);
    const area = new LiveArea(screen, (_frame, room) => Array.from({ length: room + 10 }, (_, i) => `line ${i}`), { tickMs: 0 });
    area.draw();
    assert.equal(screen.writes[0], 'line 0\nline 1\nline 2\nline 3\n');
    area.close();
  });
});
