import type { ProviderName } from '../tokens/push-target';

export type FinalOutcome = 'sent' | 'failed' | 'dropped_expired' | 'token_deleted';

/** Metrics sink of the delivery path (labels: provider, outcome, bounded reason; never an identity or token). */
export interface PushOutcomeRecorder {
  outcome(provider: ProviderName, outcome: FinalOutcome, reason: string): void;
  requestDuration(provider: ProviderName, seconds: number): void;
  circuitOpen(provider: ProviderName, open: boolean): void;
}

export const PUSH_OUTCOME_RECORDER = Symbol('PUSH_OUTCOME_RECORDER');
