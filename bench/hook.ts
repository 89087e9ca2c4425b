import type { BenchPart } from './context.js';

/** Placeholder until the hook benchmark lands. */
export const benchHook: BenchPart = { name: 'hook', run: async () => [] };
