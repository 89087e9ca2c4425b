import type { BenchPart } from './context.js';

/** Placeholder until the watch benchmark lands. */
export const benchWatch: BenchPart = { name: 'watch', run: async () => [] };
