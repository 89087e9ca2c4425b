/** The reports the API answers under `/api/v1/<name>`, each timed by the dashboard bench. */
const REPORTS = ['daily', 'weekly', 'monthly', 'session', 'blocks', 'budget', 'summary', 'projection', 'burn', 'anomaly', 'counterfactual', 'optimize', 'keys'];

/** Every endpoint the bench times: each report, and one session's detail. */
export function apiEndpoints(sessionId: string): string[] {
  return [...REPORTS.map((name) => `/api/v1/${name}`), `/api/v1/session/${encodeURIComponent(sessionId)}`];
}

/** The id of the first session the sessions report lists (the session detail needs one). */
export async function firstSessionId(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/session`);
  const text = await response.text();
  if (!response.ok) throw new Error(`GET /api/v1/session answered ${response.status}: ${text.slice(0, 500)}`);
  const match = /"sessionId"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(text);
  if (match === null) throw new Error('the sessions report lists no session');
  return JSON.parse(match[1] as string) as string;
}
