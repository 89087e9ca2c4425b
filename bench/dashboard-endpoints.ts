/** An endpoint of the API as `GET /api/v1` lists it. */
interface IndexEntry {
  name: string;
  args: readonly string[];
}

async function getJson(url: string, path: string): Promise<unknown> {
  const response = await fetch(`${url}${path}`);
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as unknown;
}

/**
 * Every endpoint the bench times, from the API's own index: each report with its defaults (a
 * report whose arguments name a session, with `sessionId`), and a session's detail as the page asks
 * for it (`session?session-id=`).
 */
export async function apiEndpoints(url: string, sessionId: string): Promise<string[]> {
  const index = (await getJson(url, '/api/v1')) as { reports: IndexEntry[] };
  const paths: string[] = [];
  for (const report of index.reports) {
    if (report.args.length === 0) paths.push(`/api/v1/${report.name}`);
    else if (report.args.every((arg) => /session/i.test(arg))) paths.push(`/api/v1/${report.name}/${report.args.map(() => encodeURIComponent(sessionId)).join('/')}`);
  }
  if (index.reports.some((report) => report.name === 'session')) paths.push(`/api/v1/session?session-id=${encodeURIComponent(sessionId)}`);
  return paths;
}

/** The id of the first session the sessions report lists (the session detail needs one). */
export async function firstSessionId(url: string): Promise<string> {
  const doc = (await getJson(url, '/api/v1/session')) as { sessions?: { sessionId: string }[] };
  const first = doc.sessions?.[0];
  if (first === undefined) throw new Error('the sessions report lists no session');
  return first.sessionId;
}
