import { afterEach, expect, it } from 'vitest';
import { DashboardFixture, XSS_PROJECT } from './dashboard-fixture.js';

let fixture: DashboardFixture | undefined;
afterEach(() => fixture?.remove());

it('records four sessions of October 2025, one in a project named as markup, and takes appended messages', async () => {
  fixture = await new DashboardFixture().create();
  const sessions = await fixture.json<{ sessions: { sessionId: string; projectPath: string; requests: number }[] }>(['session']);
  expect(sessions.sessions.map((s) => s.sessionId).sort()).toEqual([...DashboardFixture.sessionIds].sort());
  expect(sessions.sessions.find((s) => s.sessionId === 'sess-gamma')?.projectPath).toBe(XSS_PROJECT);
  const before = await fixture.json<{ totals: { totalCost: number; requests: number } }>(['monthly']);
  expect(before.totals.requests).toBe(14);
  fixture.appendMessage('sess-alpha');
  expect((await fixture.cli(['sync'])).code).toBe(0);
  const after = await fixture.json<{ totals: { totalCost: number; requests: number } }>(['monthly']);
  expect(after.totals.requests).toBe(15);
  expect(after.totals.totalCost).toBeGreaterThan(before.totals.totalCost + 0.5);
});
