// API tokens: listed without their secrets, revoked by their owner or an admin, and dead the
// moment they are revoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiToken } from '../../src/shared/api-schemas.js';
import { signIn, withToken, type Client } from '../support/client.js';
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

async function agentWithToken(name: string) {
  const agent = await buildAgent(h, account);
  const session = await signIn(h, agent.email, agent.password);
  const created = await session.request<{ id: string; token: string }>('POST', '/api/tokens', { name });
  expect(created.status).toBe(201);
  return { agent, session, id: created.body.id, token: created.body.token };
}

const listOf = async (client: Client) =>
  (await client.request<{ tokens: ApiToken[] }>('GET', '/api/tokens')).body.tokens;

describe('API tokens', () => {
  it('are listed with name, owner and last use, never with the secret', async () => {
    const mine = await agentWithToken('Zapier');
    const before = await listOf(mine.session);
    expect(before).toEqual([
      {
        id: mine.id,
        name: 'Zapier',
        agentId: mine.agent.id,
        agentName: mine.agent.name,
        createdAt: expect.any(Number),
        lastUsedAt: null,
      },
    ]);
    expect(JSON.stringify(before)).not.toContain(mine.token);
    expect((await withToken(h, mine.token).request('GET', '/api/me')).status).toBe(200);
    const [used] = await listOf(mine.session);
    expect(used?.lastUsedAt).toEqual(expect.any(Number));
  });

  it("shows an agent only their own tokens, and an admin every agent's", async () => {
    const first = await agentWithToken('CRM sync');
    const second = await agentWithToken('Reporting');
    expect((await listOf(first.session)).map((token) => token.id)).toEqual([first.id]);
    const all = (await listOf(admin)).map((token) => token.id);
    expect(all).toEqual(expect.arrayContaining([first.id, second.id]));
  });

  it('stops a token the moment its owner revokes it, and records who did', async () => {
    const mine = await agentWithToken('Old script');
    const api = withToken(h, mine.token);
    expect((await api.request('GET', '/api/me')).status).toBe(200);
    expect((await mine.session.request('DELETE', `/api/tokens/${mine.id}`)).status).toBe(204);
    expect((await api.request('GET', '/api/me')).status).toBe(401);
    expect(await listOf(mine.session)).toEqual([]);
    expect((await mine.session.request('DELETE', `/api/tokens/${mine.id}`)).status).toBe(404);
    const audit = await h.deps.db
      .selectFrom('auditLog')
      .selectAll()
      .where('accountId', '=', account.accountId)
      .where('subjectId', '=', mine.id)
      .execute();
    expect(audit).toMatchObject([
      { action: 'api_token.revoked', subjectType: 'api_token', actorId: mine.agent.id },
    ]);
  });

  it("lets an admin revoke an agent's token, but not another agent", async () => {
    const victim = await agentWithToken('Leaked in a gist');
    const colleague = await agentWithToken('Mine');
    const refused = await colleague.session.request('DELETE', `/api/tokens/${victim.id}`);
    expect(refused.status).toBe(404);
    expect((await withToken(h, victim.token).request('GET', '/api/me')).status).toBe(200);
    expect((await admin.request('DELETE', `/api/tokens/${victim.id}`)).status).toBe(204);
    expect((await withToken(h, victim.token).request('GET', '/api/me')).status).toBe(401);
    expect((await withToken(h, colleague.token).request('GET', '/api/me')).status).toBe(200);
  });

  it("never shows or revokes another account's tokens", async () => {
    const other = await buildAccount(h, 'Elsewhere');
    const otherAdmin = await signIn(h, other.admin.email, other.admin.password);
    const mine = await agentWithToken('Ours');
    expect((await listOf(otherAdmin)).map((token) => token.id)).not.toContain(mine.id);
    expect((await otherAdmin.request('DELETE', `/api/tokens/${mine.id}`)).status).toBe(404);
    expect((await withToken(h, mine.token).request('GET', '/api/me')).status).toBe(200);
  });
});
