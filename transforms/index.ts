export * from './arrow.ts';
export * from './completeness.ts';
export * from './counter.ts';
export * from './interpolate.ts';
export * from './periods.ts';
export * from './rate.ts';
export * from './state.ts';
export * from './units.ts';
