// Generated gRPC contracts (proto/ → buf generate → ts-proto). Regenerate with `npm run contracts:generate`.
export * as directoryV1 from './generated/ots/directory/v1/directory';
