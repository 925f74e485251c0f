import { CircuitBreaker, type CircuitSettings } from '../reliability/circuit-breaker';
import { PROVIDER_NAMES, type ProviderName, type PushTarget } from '../tokens/push-target';
import type { PushOutcomeRecorder } from './outcome-recorder';
import type { PushProvider, SendOutcome, WakeNotice } from './provider';

export interface GatewaySettings {
  readonly timeoutMs: number;
  /** requests in flight per provider (a bulkhead: a hanging provider cannot take every slot) */
  readonly maxInFlightPerProvider: number;
  readonly circuit: CircuitSettings;
}

export type AttemptResult =
  SendOutcome | { readonly kind: 'blocked'; readonly reason: string; readonly retryInMs: number };

/**
 * One attempt at one device through its provider, guarded per provider by a circuit breaker, a bulkhead and a
 * per-request timeout, so that one failing or hanging provider never delays the others (spec push-providers §6.1).
 */
export class ProviderGateway {
  private readonly providers = new Map<ProviderName, PushProvider>();
  private readonly circuits = new Map<ProviderName, CircuitBreaker>();
  private readonly inFlight = new Map<ProviderName, number>();

  constructor(
    providers: readonly PushProvider[],
    private readonly settings: GatewaySettings,
    private readonly recorder: PushOutcomeRecorder,
    now: () => number = Date.now,
  ) {
    for (const provider of providers) this.providers.set(provider.name, provider);
    for (const name of PROVIDER_NAMES) {
      this.circuits.set(
        name,
        new CircuitBreaker(settings.circuit, now, (open) => {
          recorder.circuitOpen(name, open);
        }),
      );
      this.inFlight.set(name, 0);
      recorder.circuitOpen(name, false);
    }
  }

  isEnabled(provider: ProviderName): boolean {
    return this.providers.has(provider);
  }

  circuitState(provider: ProviderName): string {
    return this.circuit(provider).state;
  }

  async attempt(target: PushTarget, notice: WakeNotice): Promise<AttemptResult> {
    const provider = this.providers.get(target.provider);
    if (!provider) return { kind: 'failed', reason: 'provider_disabled' };
    const circuit = this.circuit(target.provider);
    const inFlight = this.inFlight.get(target.provider) ?? 0;
    if (inFlight >= this.settings.maxInFlightPerProvider) {
      return { kind: 'blocked', reason: 'provider_busy', retryInMs: 1_000 };
    }
    if (!circuit.tryAcquire()) {
      return { kind: 'blocked', reason: 'circuit_open', retryInMs: Math.max(circuit.retryInMs, 100) };
    }
    this.inFlight.set(target.provider, inFlight + 1);
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(new Error('provider request timed out'));
    }, this.settings.timeoutMs);
    const started = process.hrtime.bigint();
    let outcome: SendOutcome;
    try {
      outcome = await provider.send(target, notice, controller.signal);
    } catch {
      // providers classify their own errors; anything escaping them is a network-level failure
      outcome = { kind: 'retry', reason: controller.signal.aborted ? 'timeout' : 'network' };
    } finally {
      clearTimeout(timer);
      this.inFlight.set(target.provider, (this.inFlight.get(target.provider) ?? 1) - 1);
    }
    if (controller.signal.aborted && outcome.kind === 'retry') outcome = { ...outcome, reason: 'timeout' };
    this.recorder.requestDuration(target.provider, Number(process.hrtime.bigint() - started) / 1e9);
    this.updateCircuit(circuit, outcome);
    return outcome;
  }

  private updateCircuit(circuit: CircuitBreaker, outcome: SendOutcome): void {
    switch (outcome.kind) {
      case 'sent':
        circuit.recordSuccess();
        return;
      case 'gone':
        circuit.recordSuccess();
        return;
      case 'retry':
        if (outcome.countsAgainstCircuit === false) circuit.recordNeutral();
        else circuit.recordFailure();
        return;
      case 'failed':
        if (outcome.credential) circuit.recordFailure(true);
        else circuit.recordNeutral();
        return;
    }
  }

  private circuit(provider: ProviderName): CircuitBreaker {
    const circuit = this.circuits.get(provider);
    if (!circuit) throw new Error(`no circuit for provider ${provider}`);
    return circuit;
  }
}
