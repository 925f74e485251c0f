export { type RateLimitDecision, type RateLimitRule, SlidingWindowLimiter } from './sliding-window-limiter';
