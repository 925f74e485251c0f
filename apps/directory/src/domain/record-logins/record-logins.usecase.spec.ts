import { DirectoryErrorCode } from '../directory-error';
import { type LoginRecorder, MAX_LOGINS_PER_REQUEST, RecordLoginsUseCase } from './record-logins.usecase';

describe('RecordLoginsUseCase', () => {
  const NOW = 1_800_000_000_000;
  let recorded: Map<string, Date>[];
  const recorder: LoginRecorder = {
    recordLastLogins(latest) {
      recorded.push(new Map(latest));
      return Promise.resolve(latest.size);
    },
  };
  const useCase = new RecordLoginsUseCase(recorder, () => NOW);

  beforeEach(() => {
    recorded = [];
  });

  it('keeps only the latest login per identity', async () => {
    const updated = await useCase.execute([
      { identity: 'ECHOECHO', loginTimeMs: 1000n },
      { identity: 'ECHOECHO', loginTimeMs: 3000n },
      { identity: 'ECHOECHO', loginTimeMs: 2000n },
      { identity: '*MY3DATA', loginTimeMs: 5000n },
    ]);
    expect(updated).toBe(2);
    expect(recorded).toEqual([
      new Map([
        ['ECHOECHO', new Date(3000)],
        ['*MY3DATA', new Date(5000)],
      ]),
    ]);
  });

  it('does not touch the store for an empty batch', async () => {
    expect(await useCase.execute([])).toBe(0);
    expect(recorded).toEqual([]);
  });

  it.each<[string, { identity: string; loginTimeMs: bigint }, DirectoryErrorCode]>([
    ['a malformed identity', { identity: 'echo', loginTimeMs: 1n }, DirectoryErrorCode.InvalidIdentity],
    ['a zero time', { identity: 'ECHOECHO', loginTimeMs: 0n }, DirectoryErrorCode.InvalidRequest],
    [
      'a time more than a day ahead',
      { identity: 'ECHOECHO', loginTimeMs: BigInt(NOW + 25 * 3_600_000) },
      DirectoryErrorCode.InvalidRequest,
    ],
  ])('refuses %s', async (_label, login, code) => {
    await expect(useCase.execute([login])).rejects.toMatchObject({ code });
    expect(recorded).toEqual([]);
  });

  it('refuses more than the batch limit', async () => {
    const logins = Array.from({ length: MAX_LOGINS_PER_REQUEST + 1 }, () => ({
      identity: 'ECHOECHO',
      loginTimeMs: 1n,
    }));
    await expect(useCase.execute(logins)).rejects.toMatchObject({ code: DirectoryErrorCode.InvalidRequest });
  });
});
