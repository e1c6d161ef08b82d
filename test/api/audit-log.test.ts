// The audit log, read by admins: newest first, with who did it and what the subject was,
// in pages; never another account's entries, never for plain agents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/shared/api-schemas.js';
import { signIn, type Client } from '../support/client.js';
import {
  buildAccount,
  buildAgent,
  createHarness,
  type Harness,
  type TestAccount,
} from '../support/harness.js';

let h: Harness;
let account: TestAccount;
let admin: Client;

beforeAll(async () => {
  h = await createHarness();
  account = await buildAccount(h);
  admin = await signIn(h, account.admin.email, account.admin.password);
});
afterAll(() => h.close());

type Page = { entries: AuditEntry[]; nextCursor: string | null };

async function revoke(by: Client, owner: Client, name: string): Promise<string> {
  const created = await owner.request<{ id: string }>('POST', '/api/tokens', { name });
  expect((await by.request('DELETE', `/api/tokens/${created.body.id}`)).status).toBe(204);
  return created.body.id;
}

describe('GET /api/audit-log', () => {
  it('lists what was done, newest first, with the actor and the subject, in pages', async () => {
    const agent = await buildAgent(h, account);
    const session = await signIn(h, agent.email, agent.password);
    const first = await revoke(session, session, 'Old CRM');
    const second = await revoke(admin, session, 'Leaked script');
    const third = await revoke(admin, admin, 'Reporting');

    const page = await admin.request<Page>('GET', '/api/audit-log?limit=2');
    expect(page.status).toBe(200);
    expect(page.body.entries).toEqual([
      {
        id: expect.any(String),
        action: 'api_token.revoked',
        subjectType: 'api_token',
        subjectId: third,
        actor: { id: account.admin.id, name: expect.any(String) },
        detail: { name: 'Reporting', ownerId: account.admin.id },
        createdAt: expect.any(Number),
      },
      expect.objectContaining({
        subjectId: second,
        actor: expect.objectContaining({ id: account.admin.id }),
        detail: { name: 'Leaked script', ownerId: agent.id },
      }),
    ]);
    expect(page.body.nextCursor).toEqual(expect.any(String));

    const rest = await admin.request<Page>(
      'GET',
      `/api/audit-log?limit=2&cursor=${encodeURIComponent(page.body.nextCursor!)}`,
    );
    expect(rest.body.entries.map((entry) => entry.subjectId)).toEqual([first]);
    expect(rest.body.entries[0]!.actor).toEqual({ id: agent.id, name: agent.name });
    expect(rest.body.nextCursor).toBeNull();
  });

  it('is for admins only, and shows each account only its own entries', async () => {
    const agent = await buildAgent(h, account);
    const session = await signIn(h, agent.email, agent.password);
    expect((await session.request('GET', '/api/audit-log')).status).toBe(403);
    const other = await buildAccount(h, 'Elsewhere');
    const otherAdmin = await signIn(h, other.admin.email, other.admin.password);
    await revoke(admin, admin, 'Ours');
    const theirs = await otherAdmin.request<Page>('GET', '/api/audit-log');
    expect(theirs.body).toEqual({ entries: [], nextCursor: null });
  });

  it('refuses a cursor it did not issue, naming the field', async () => {
    const response = await admin.request('GET', '/api/audit-log?cursor=not-a-cursor');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: { code: 'validation_failed', details: { field: 'cursor' } },
    });
  });
});
