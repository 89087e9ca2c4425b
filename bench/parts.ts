import type { BenchPart } from './context.js';
import { benchColdShapes } from './cold-shapes.js';
import { benchDashboard } from './dashboard.js';
import { benchGateway } from './gateway/part.js';
import { benchHook } from './hook.js';
import { benchOtlp } from './otlp/part.js';
import { benchOtlpExport } from './otlp-export.js';
import { benchPostgres } from './postgres.js';
import { benchPush } from './push.js';
import { benchStatusline } from './statusline.js';
import { benchWatch } from './watch.js';

/** Benchmark parts run after the corpus and big-ledger figures (or alone, with `BENCH_ONLY`). */
export const BENCH_PARTS: readonly BenchPart[] = [benchColdShapes, benchWatch, benchHook, benchStatusline, benchPush, benchPostgres, benchGateway, benchDashboard, benchOtlp, benchOtlpExport];
