import { misbehavingTarget } from './misbehaving';

export const target = misbehavingTarget(0x42);
