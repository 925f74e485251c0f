import { z } from 'zod';

// Response shapes of spec §4.3 for the OpenAPI document. The encoders in response-encoding.ts produce them; the
// int tests check the encoders' output against these schemas (openapi.int-spec.ts).

const base64 = () => z.string().describe('standard base64');

export const challengeResponse = z
  .object({ token: base64(), tokenRespKeyPub: base64().describe('X25519 public key CPK, 32 bytes') })
  .describe('phase 1 of a signed call (spec §4.2)');

export const failureResponse = z.object({
  success: z.literal(false),
  error: z.string(),
  errorType: z.enum(['invalid-identity', 'invalid-token']).optional(),
  errorId: z.string().optional(),
});

export const successResponse = z.object({ success: z.literal(true) });

export const identityResponse = z.object({
  identity: z.string(),
  publicKey: base64(),
  featureLevel: z.number().int(),
  featureMask: z.number().int(),
  state: z.number().int().describe('0 active, 1 inactive'),
  type: z.number().int().describe('0 regular, 1 work'),
});

export const fetchBulkResponse = z.object({ identities: z.array(identityResponse) });

export const checkResponse = z.object({
  states: z.array(z.number().int().describe('0 active, 1 inactive, 2 invalid')),
  types: z.array(z.number().int()),
  featureMasks: z.array(z.number().int().nullable()),
  checkInterval: z.number().int(),
});

export const featureMasksResponse = z.object({ featureMasks: z.array(z.number().int().nullable()) });

export const createdResponse = z.object({
  success: z.literal(true),
  identity: z.string(),
  serverGroup: z.string(),
});

export const fetchPrivResponse = createdResponse;

export const revocationKeyResponse = z.union([
  z.object({ revocationKeySet: z.literal(false) }),
  z.object({
    revocationKeySet: z.literal(true),
    lastChanged: z.string().describe('ISO 8601 UTC, no fractions'),
  }),
]);

export const linkPhaseOneResponse = z.union([
  z.object({ linked: z.literal(true) }),
  challengeResponse.extend({ linked: z.literal(false) }),
]);

export const codeSentResponse = z.object({ success: z.literal(true), verificationId: z.string() });
