import { LineTail } from './line-tail';

describe('LineTail', () => {
  it('joins lines split across chunks and returns the completed ones', () => {
    const tail = new LineTail();
    expect(tail.push('LOG:  starting')).toEqual([]);
    expect(tail.push(' PostgreSQL\nLOG:  ready\r\nFATAL')).toEqual([
      'LOG:  starting PostgreSQL',
      'LOG:  ready',
    ]);
    expect(tail.lines()).toEqual(['LOG:  starting PostgreSQL', 'LOG:  ready', 'FATAL']);
  });

  it('keeps only the last lines', () => {
    const tail = new LineTail(2);
    tail.push('a\nb\nc\n');
    expect(tail.toString()).toBe('b\nc');
    expect(tail.includes(/^c$/)).toBe(true);
    expect(tail.includes(/^a$/)).toBe(false);
  });
});
