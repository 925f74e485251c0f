import { GroupCommitter } from './group-commit';

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('GroupCommitter', () => {
  it('batches writes that arrive while a commit is running, and resolves each only after its commit', async () => {
    const commits: number[][] = [];
    const gates: ReturnType<typeof deferred>[] = [];
    const committer = new GroupCommitter<number>(
      (items) => {
        commits.push(items);
        const gate = deferred();
        gates.push(gate);
        return gate.promise;
      },
      { maxBatch: 100, concurrency: 1 },
    );
    const resolved: number[] = [];
    const writes = [1, 2, 3, 4].map((n) => committer.write(n).then(() => resolved.push(n)));
    expect(commits).toEqual([[1]]);
    await Promise.resolve();
    expect(resolved).toEqual([]);
    gates[0].resolve();
    await writes[0];
    expect(resolved).toEqual([1]);
    expect(commits).toEqual([[1], [2, 3, 4]]);
    gates[1].resolve();
    await Promise.all(writes);
    expect(resolved).toEqual([1, 2, 3, 4]);
  });

  it('splits at maxBatch and runs up to `concurrency` commits at once', () => {
    const commits: number[][] = [];
    const committer = new GroupCommitter<number>(
      (items) => {
        commits.push(items);
        return new Promise(() => undefined);
      },
      { maxBatch: 2, concurrency: 2 },
    );
    for (let n = 1; n <= 7; n += 1) void committer.write(n);
    expect(commits).toEqual([[1], [2]]);
    expect(committer.backlog).toBe(7);
  });

  it('rejects every write of a failed batch and goes on with the next one', async () => {
    let fail = true;
    const committer = new GroupCommitter<number>(
      () => {
        if (fail) {
          fail = false;
          return Promise.reject(new Error('disk full'));
        }
        return Promise.resolve();
      },
      { maxBatch: 10, concurrency: 1 },
    );
    await expect(committer.write(1)).rejects.toThrow('disk full');
    await expect(committer.write(2)).resolves.toBeUndefined();
  });
});
