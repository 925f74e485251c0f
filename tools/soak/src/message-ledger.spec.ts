import { MessageLedger, RecentDeliveries } from './message-ledger';

describe('MessageLedger', () => {
  it('counts an acknowledged, never delivered message as lost until it arrives', () => {
    const ledger = new MessageLedger();
    const recent = new RecentDeliveries();
    ledger.recordSent('BOB00001', 1n, 0);
    ledger.recordSent('BOB00001', 2n, 0);
    ledger.recordAcked('BOB00001', 1n);
    ledger.recordAcked('BOB00001', 2n);
    expect(ledger.ackedUndelivered()).toBe(2);
    expect(ledger.recordDelivered('BOB00001', 1n, recent)).toBe(0);
    expect(ledger.ackedUndelivered()).toBe(1);
    expect(ledger.ackedUndeliveredFor('BOB00001')).toBe(1);
    expect(ledger.ackedUndeliveredFor('CAROL001')).toBe(0);
    ledger.recordDelivered('BOB00001', 2n, recent);
    expect(ledger.ackedUndelivered()).toBe(0);
    expect({ sent: ledger.sent, acked: ledger.acked, delivered: ledger.delivered }).toEqual({
      sent: 2,
      acked: 2,
      delivered: 2,
    });
  });

  it('tells a duplicate from a delivery that was never sent to that receiver', () => {
    const ledger = new MessageLedger();
    const recent = new RecentDeliveries();
    ledger.recordSent('BOB00001', 7n, 0);
    ledger.recordAcked('BOB00001', 7n);
    ledger.recordDelivered('BOB00001', 7n, recent);
    expect(ledger.recordDelivered('BOB00001', 7n, recent)).toBeUndefined();
    expect(ledger.duplicates).toBe(1);
    // same ID to another receiver, and an ID nobody sent
    ledger.recordDelivered('CAROL001', 7n, recent);
    ledger.recordDelivered('BOB00001', 8n, recent);
    expect(ledger.unexpected).toBe(2);
  });

  it('does not count a message the server never acknowledged as lost, but accepts its late delivery', () => {
    const ledger = new MessageLedger();
    const recent = new RecentDeliveries();
    ledger.recordSent('BOB00001', 3n, 0);
    expect(ledger.inFlight()).toBe(1);
    ledger.recordNotAcked('BOB00001', 3n);
    expect(ledger.inFlight()).toBe(0);
    expect(ledger.ackedUndelivered()).toBe(0);
    expect(ledger.notAcked).toBe(1);
    ledger.recordDelivered('BOB00001', 3n, recent);
    expect(ledger.unexpected).toBe(0);
    expect(ledger.delivered).toBe(1);
  });
});

describe('RecentDeliveries', () => {
  it('forgets the oldest beyond its limit', () => {
    const recent = new RecentDeliveries(2);
    recent.add('a').add('b').add('c');
    expect([...recent]).toEqual(['b', 'c']);
  });
});
