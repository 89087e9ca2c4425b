import { anomalyCommand } from './anomaly.js';
import { blocksCommand } from './blocks.js';
import { federationCommand } from './federation.js';
import { gatewayCommand } from './gateway.js';
import { serveCommand } from './serve.js';
import { otlpCommand } from './otlp.js';
import { hookCommand } from './hook.js';
import { hooksCommand } from './hooks.js';
import { statuslineCommand } from './statusline.js';
import { ingestCommand } from './ingest.js';
import { liveCommand } from './live.js';
import { pollCommand } from './poll.js';
import { pullCommand } from './pull.js';
import { pushCommand } from './push.js';
import { watchCommand } from './watch.js';
import { budgetCommand } from './budget.js';
import { keysCommand } from './keys.js';
import { burnCommand } from './burn.js';
import { conversationCommand } from './conversation.js';
import { counterfactualCommand } from './counterfactual.js';
import type { CommandSpec } from './command.js';
import { demoCommand } from './demo.js';
import { detectCommand } from './detect.js';
import { diffCommand } from './diff.js';
import { healthCommand } from './health.js';
import { historyCommand } from './history.js';
import { exportCommand } from './export.js';
import { optimizeCommand } from './optimize.js';
import { PERIOD_COMMANDS } from './period-report.js';
import { pricesCommand } from './prices.js';
import { projectionCommand } from './projection.js';
import { repriceCommand } from './reprice.js';
import { sessionCommand } from './session.js';
import { summaryCommand } from './summary.js';
import { syncCommand } from './sync.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  ...PERIOD_COMMANDS,
  sessionCommand,
  syncCommand,
  watchCommand,
  liveCommand,
  blocksCommand,
  budgetCommand,
  keysCommand,
  summaryCommand,
  diffCommand,
  healthCommand,
  conversationCommand,
  historyCommand,
  projectionCommand,
  burnCommand,
  anomalyCommand,
  counterfactualCommand,
  optimizeCommand,
  exportCommand,
  ingestCommand,
  pollCommand,
  pushCommand,
  pullCommand,
  federationCommand,
  gatewayCommand,
  serveCommand,
  otlpCommand,
  hooksCommand,
  hookCommand,
  statuslineCommand,
  pricesCommand,
  repriceCommand,
  detectCommand,
  demoCommand,
];
