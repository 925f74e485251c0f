import { counterTotal } from './site-services';

describe('counterTotal', () => {
  it('adds the samples of every label set of one counter and ignores others', () => {
    const text = [
      '# HELP ots_mailbox_wakeups_total Wake-ups',
      '# TYPE ots_mailbox_wakeups_total counter',
      'ots_mailbox_wakeups_total{outcome="ok"} 3',
      'ots_mailbox_wakeups_total{outcome="failed"} 2',
      'ots_mailbox_wakeups_total_other 7',
      'ots_mailbox_logins_total{outcome="ok"} 9',
    ].join('\n');
    expect(counterTotal(text, 'ots_mailbox_wakeups_total')).toBe(5);
    expect(counterTotal(text, 'ots_mailbox_absent_total')).toBe(0);
  });
});
