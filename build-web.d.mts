/** Builds the dashboard into `outdir` (default dist/web); answers a line on its sizes. */
export function buildDashboard(outdir?: string): Promise<string>;
