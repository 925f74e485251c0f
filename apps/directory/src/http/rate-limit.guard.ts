import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type RateLimitDecision, SlidingWindowLimiter } from '@ots/rate-limit';

import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config';
import { RateLimitedError } from '../domain/directory-error';
import { DirectoryMetrics, type RateLimitName } from '../infrastructure/directory-metrics';

/**
 * Which abuse limit an endpoint counts against (architecture: identity creation, look-ups and signed calls are
 * limited per source and per identity). `lookup` costs one unit per identity asked for.
 */
export type RateLimitScope = 'create' | 'lookup' | 'signed';

const RATE_LIMIT_SCOPE = Symbol('RATE_LIMIT_SCOPE');

export const RateLimited = (scope: RateLimitScope) => SetMetadata(RATE_LIMIT_SCOPE, scope);

/** The limit each scope counts against, as the metrics name it. */
const LIMIT_OF_SCOPE: Readonly<Record<RateLimitScope, RateLimitName>> = {
  create: 'create_per_source',
  lookup: 'lookups_per_source',
  signed: 'signed_per_identity',
};

/** The limiters of one directory process. Keys are source addresses and identities, held in memory only. */
@Injectable()
export class DirectoryRateLimits {
  readonly createPerSource: SlidingWindowLimiter;
  readonly lookupsPerSource: SlidingWindowLimiter;
  readonly signedPerIdentity: SlidingWindowLimiter;

  constructor(@Inject(DIRECTORY_CONFIG) config: DirectoryConfig) {
    this.createPerSource = new SlidingWindowLimiter({
      limit: config.DIRECTORY_CREATE_PER_SOURCE_PER_HOUR,
      windowMs: 3_600_000,
    });
    this.lookupsPerSource = new SlidingWindowLimiter({
      limit: config.DIRECTORY_LOOKUPS_PER_SOURCE_PER_MINUTE,
      windowMs: 60_000,
    });
    this.signedPerIdentity = new SlidingWindowLimiter({
      limit: config.DIRECTORY_SIGNED_PER_IDENTITY_PER_MINUTE,
      windowMs: 60_000,
    });
  }
}

interface RequestLike {
  readonly ip: string;
  readonly body?: unknown;
}

@Injectable()
export class DirectoryRateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: DirectoryRateLimits,
    private readonly metrics: DirectoryMetrics,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const scope = this.reflector.get<RateLimitScope | undefined>(RATE_LIMIT_SCOPE, context.getHandler());
    if (scope === undefined) return true;
    const request = context.switchToHttp().getRequest<RequestLike>();
    const decision = this.decide(scope, request);
    if (!decision.allowed) {
      this.metrics.refusedBy(LIMIT_OF_SCOPE[scope]);
      throw new RateLimitedError(decision.retryAfterSeconds);
    }
    return true;
  }

  private decide(scope: RateLimitScope, request: RequestLike): RateLimitDecision {
    const body = isRecord(request.body) ? request.body : {};
    switch (scope) {
      case 'create':
        return this.limits.createPerSource.consume(request.ip);
      case 'lookup': {
        const identities = body.identities;
        const cost = Array.isArray(identities) ? Math.max(1, identities.length) : 1;
        return this.limits.lookupsPerSource.consume(request.ip, cost);
      }
      case 'signed': {
        const identity = body.identity;
        return this.limits.signedPerIdentity.consume(
          typeof identity === 'string' ? identity : `source:${request.ip}`,
        );
      }
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
