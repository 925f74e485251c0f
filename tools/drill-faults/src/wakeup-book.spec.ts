import { WakeUpBook } from './wakeup-book';

describe('WakeUpBook', () => {
  it('a message is woken by a push after it was sent and before the next one to that receiver', () => {
    const book = new WakeUpBook();
    book.expect({ receiver: 'R1', step: 0, sentAt: 100 });
    book.expect({ receiver: 'R1', step: 0, sentAt: 200 });
    book.expect({ receiver: 'R1', step: 1, sentAt: 300 });
    book.expect({ receiver: 'R2', step: 1, sentAt: 150 });
    // R1: a push for the first message, none for the second, one for the third; R2: only an early push
    book.observe([
      { receiver: 'R1', at: 150 },
      { receiver: 'R1', at: 350 },
      { receiver: 'R2', at: 140 },
    ]);
    expect(book.unmet().map((e) => `${e.receiver}@${String(e.sentAt)}`)).toEqual(['R1@200', 'R2@150']);
    expect(book.counts((e) => e.step === 0)).toEqual({ expected: 2, woken: 1, lost: 1 });
    expect(book.counts((e) => e.step === 1)).toEqual({ expected: 2, woken: 1, lost: 1 });
    expect(book.pushedAfter('R2', 140)).toBe(false);
    expect(book.pushedAfter('R1', 300)).toBe(true);
    expect(book.pushesBetween(100, 200)).toBe(2);
  });

  it('observe replaces the earlier observation', () => {
    const book = new WakeUpBook();
    book.expect({ receiver: 'R1', step: 0, sentAt: 100 });
    book.observe([{ receiver: 'R1', at: 120 }]);
    expect(book.unmet()).toHaveLength(0);
    book.observe([]);
    expect(book.unmet()).toHaveLength(1);
  });
});
