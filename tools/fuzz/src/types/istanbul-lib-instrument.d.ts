// The package ships no typings; only what the coverage hook uses is declared here.
declare module 'istanbul-lib-instrument' {
  export interface InstrumenterOptions {
    coverageVariable?: string;
    esModules?: boolean;
    compact?: boolean;
  }
  export interface Instrumenter {
    instrumentSync(code: string, filename: string): string;
  }
  export function createInstrumenter(options?: InstrumenterOptions): Instrumenter;
}
