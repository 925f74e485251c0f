import { DeliveryLedger, messageKey } from './ledger';

const key = (id: number) => messageKey('AAAAAAAA', 'BBBBBBBB', BigInt(id));

describe('DeliveryLedger', () => {
  it('counts an acknowledged message that never arrived as lost', () => {
    const ledger = new DeliveryLedger();
    ledger.recordSent(key(1), 'f1', 0);
    ledger.recordSent(key(2), 'f2', 0);
    ledger.recordAcked(key(1));
    ledger.recordAcked(key(2));
    expect(ledger.recordReceived(key(1), 'f1', 5)).toBe('new');
    expect(ledger.settled).toBe(false);
    expect(ledger.counts()).toMatchObject({ sent: 2, acked: 2, delivered: 1, lost: 1, unacknowledged: 0 });
  });

  it('does not count a sent but unacknowledged message as lost, but as unacknowledged', () => {
    const ledger = new DeliveryLedger();
    ledger.recordSent(key(1), 'f1', 0);
    expect(ledger.settled).toBe(true);
    expect(ledger.counts()).toMatchObject({ lost: 0, unacknowledged: 1 });
  });

  it('flags deliveries that were never sent or carry other bytes under a sent ID', () => {
    const ledger = new DeliveryLedger();
    ledger.recordSent(key(1), 'f1', 0);
    expect(ledger.recordReceived(key(9), 'f9', 1)).toBe('unexpected');
    expect(ledger.recordReceived(key(1), 'other', 1)).toBe('unexpected');
    expect(ledger.counts().unexpected).toBe(2);
  });

  it('counts a second delivery as a duplicate, and a resend as one message', () => {
    const ledger = new DeliveryLedger();
    ledger.recordSent(key(1), 'f1', 0);
    ledger.recordSent(key(1), 'f1', 10);
    ledger.recordAcked(key(1));
    ledger.recordAcked(key(1));
    ledger.recordReceived(key(1), 'f1', 11);
    expect(ledger.recordReceived(key(1), 'f1', 12)).toBe('duplicate');
    expect(ledger.counts()).toMatchObject({ sent: 1, acked: 1, delivered: 1, duplicates: 1, lost: 0 });
  });

  it('measures the RTO from the kill to the first delivery of a message sent after it', () => {
    const ledger = new DeliveryLedger();
    ledger.recordSent(key(1), 'f1', 100);
    ledger.recordAcked(key(1));
    ledger.recordSent(key(3), 'f3', 900);
    ledger.recordKill(1_000);
    expect(ledger.counts().inFlightAtKill).toBe(1);
    // sent before the kill, delivered after it: not a sign of recovery
    ledger.recordReceived(key(1), 'f1', 1_001);
    expect(ledger.rtoMs).toBeUndefined();
    ledger.recordSent(key(2), 'f2', 1_500);
    ledger.recordAcked(key(2));
    ledger.recordReceived(key(2), 'f2', 7_250);
    expect(ledger.rtoMs).toBe(6_250);
    expect(ledger.counts().ackedBeforeKill).toBe(1);
  });
});
