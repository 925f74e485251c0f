import { Ledger, messageKey } from './ledger';

describe('Ledger', () => {
  it('counts acked, delivered, lost and duplicate deliveries', () => {
    const ledger = new Ledger();
    ledger.sent('a', 'S', 'R', 0, 100);
    ledger.sent('b', 'S', 'R', 0, 110);
    ledger.sent('c', 'S', 'R', 0, 120);
    ledger.sent('d', 'S', 'R', 1, 130);
    ledger.acked('a', 101);
    ledger.acked('b', 111);
    ledger.delivered('a', 'R', 105);
    ledger.delivered('a', 'R', 106); // redelivered after a reconnect
    ledger.delivered('c', 'R', 125); // stored, but the ack was lost with its connection
    expect(ledger.counts((r) => r.step === 0)).toEqual({
      sent: 3,
      acked: 2,
      delivered: 1,
      lost: 1,
      duplicates: 1,
      deliveredUnacked: 1,
    });
    expect(ledger.lost().map((r) => r.key)).toEqual(['b']);
  });

  it('a resend of the same message keeps its first send time', () => {
    const ledger = new Ledger();
    ledger.sent('a', 'S', 'R', 0, 100);
    ledger.sent('a', 'S', 'R', 1, 200);
    expect(ledger.get('a')?.firstSentAt).toBe(100);
    expect(ledger.get('a')?.step).toBe(0);
  });

  it('counts a delivery of something never sent, or to the wrong receiver, as unexpected', () => {
    const ledger = new Ledger();
    ledger.sent('a', 'S', 'R', 0, 100);
    ledger.delivered('zzz', 'R', 1);
    ledger.delivered('a', 'OTHER', 1);
    expect(ledger.unexpected).toBe(2);
    expect(ledger.get('a')?.deliveries).toBe(0);
  });

  it('recovery: every sender needs a message sent after the kill delivered', () => {
    const ledger = new Ledger();
    ledger.sent('before', 'S1', 'R', 0, 900);
    ledger.delivered('before', 'R', 1_050);
    ledger.sent('s1', 'S1', 'R', 0, 1_010);
    ledger.delivered('s1', 'R', 1_200);
    expect(ledger.allSendersRecoveredAt(['S1', 'S2'], 1_000)).toBeUndefined();
    ledger.sent('s2', 'S2', 'R', 0, 1_100);
    ledger.delivered('s2', 'R', 1_700);
    expect(ledger.allSendersRecoveredAt(['S1', 'S2'], 1_000)).toBe(1_700);
    expect(ledger.firstDeliveryAfter(1_000)).toBe(1_200);
  });

  it('keys messages by sender and message ID', () => {
    expect(messageKey('SENDER01', 42n)).toBe('SENDER01:42');
  });
});
