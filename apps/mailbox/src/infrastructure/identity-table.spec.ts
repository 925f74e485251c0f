import { ReceiverState } from '../domain/ports';
import { IdentityTable } from './identity-table';

const key = (fill: number) => new Uint8Array(32).fill(fill);

describe('IdentityTable', () => {
  it('answers with the state and key it was given, and nothing for an identity it does not hold', () => {
    const table = new IdentityTable();
    table.set('ALICE001', ReceiverState.Active, key(1));
    table.set('BOBBY002', ReceiverState.Inactive, key(2));
    expect(table.get('ALICE001')).toEqual({ state: ReceiverState.Active, publicKey: key(1) });
    expect(table.get('BOBBY002')).toEqual({ state: ReceiverState.Inactive, publicKey: key(2) });
    expect(table.get('CAROL003')).toBeUndefined();
    expect(table.size).toBe(2);
  });

  it('keeps a revocation whatever arrives after it, and leaves an identity it never held unknown', () => {
    const table = new IdentityTable();
    table.set('ALICE001', ReceiverState.Active, key(1));
    table.revoke('ALICE001');
    table.set('ALICE001', ReceiverState.Active, key(1));
    expect(table.get('ALICE001')?.state).toBe(ReceiverState.Revoked);
    table.revoke('NOBODY00');
    expect(table.get('NOBODY00')).toBeUndefined();
    expect(table.size).toBe(1);
  });

  it('ignores a key of the wrong length and an unknown state', () => {
    const table = new IdentityTable();
    table.set('ALICE001', ReceiverState.Active, new Uint8Array(31));
    table.set('BOBBY002', ReceiverState.Unknown, key(2));
    expect(table.get('ALICE001')).toBeUndefined();
    expect(table.get('BOBBY002')).toBeUndefined();
    expect(table.size).toBe(0);
  });

  it('grows past its first array, and a key handed out before keeps its bytes', () => {
    const table = new IdentityTable();
    table.set('FIRST000', ReceiverState.Active, key(9));
    const early = table.get('FIRST000')?.publicKey;
    for (let i = 0; i < 5000; i++) {
      table.set(`X${String(i).padStart(7, '0')}`, ReceiverState.Active, key(i % 250));
    }
    expect(table.size).toBe(5001);
    expect(early).toEqual(key(9));
    expect(table.get('FIRST000')?.publicKey).toEqual(key(9));
    expect(table.get('X0004999')).toEqual({ state: ReceiverState.Active, publicKey: key(4999 % 250) });
  });
});
