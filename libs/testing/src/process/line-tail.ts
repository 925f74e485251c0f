/** Keeps the last lines of a process's output, so a failed start can show what the server said. */
export class LineTail {
  private readonly kept: string[] = [];
  private partial = '';

  constructor(private readonly maxLines = 40) {}

  /** Adds a chunk of output and returns the lines it completed. */
  push(chunk: string): string[] {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.keep(line);
    return parts;
  }

  lines(): string[] {
    return this.partial === '' ? [...this.kept] : [...this.kept, this.partial];
  }

  includes(pattern: RegExp): boolean {
    return this.lines().some((line) => pattern.test(line));
  }

  toString(): string {
    return this.lines().join('\n');
  }

  private keep(line: string): void {
    this.kept.push(line);
    if (this.kept.length > this.maxLines) this.kept.shift();
  }
}
