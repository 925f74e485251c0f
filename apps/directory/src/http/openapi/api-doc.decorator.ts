import { SetMetadata } from '@nestjs/common';
import type { ZodTypeAny } from 'zod';

export const API_DOC = Symbol('API_DOC');

/** What the OpenAPI document says about one route, next to the handler it describes. */
export interface ApiDoc {
  readonly summary: string;
  /** spec §4.2: a two-phase call; phase 1 answers a challenge */
  readonly signed?: boolean;
  readonly body?: ZodTypeAny;
  readonly query?: ZodTypeAny;
  /** the 200 answer (besides failures, which every route shares) */
  readonly ok: ZodTypeAny | 'text';
}

export const ApiDocumented = (doc: ApiDoc) => SetMetadata(API_DOC, doc);
