import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_CHANGES_PER_WINDOW } from '../../src/server/http/routes/session-routes.js';
import { anonymous, signIn, withToken } from '../support/client.js';
import {
  buildAccount,
  buildAgent,
  createHarness,
  type Harness,
  type TestAccount,
} from '../support/harness.js';

let h: Harness;
let account: TestAccount;

beforeAll(async () => {
  h = await createHarness();
  account = await buildAccount(h);
});
afterAll(() => h.close());

describe('sessions', () => {
  it('signs in with an HttpOnly SameSite cookie and returns the agent and a CSRF token', async () => {
    const response = await fetch(`${h.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.admin.email.toUpperCase(), password: account.admin.password }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^sb_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const body = (await response.json()) as { agent: { email: string; role: string }; csrfToken: string };
    expect(body.agent).toMatchObject({ email: account.admin.email, role: 'admin' });
    expect(body.csrfToken.length).toBeGreaterThan(20);
  });

  it('refuses a wrong password with the same answer as an unknown e-mail', async () => {
    const wrong = await anonymous(h).request('POST', '/api/session', {
      email: account.admin.email,
      password: 'nope-nope',
    });
    const unknown = await anonymous(h).request('POST', '/api/session', {
      email: 'nobody@example.test',
      password: 'nope-nope',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('rate-limits repeated sign-in attempts', async () => {
    const email = 'target@example.test';
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push(
        (await anonymous(h).request('POST', '/api/session', { email, password: `guess-${i}` })).status,
      );
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('behind a trusted proxy, counts sign-in attempts per client address, not per proxy', async () => {
    const proxied = await createHarness({ env: { TRUST_PROXY: '127.0.0.1' } });
    try {
      const attempt = (client: string, i: number) =>
        fetch(`${proxied.url}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
          body: JSON.stringify({ email: 'proxied@example.test', password: `guess-${i}` }),
        }).then((response) => response.status);
      const first: number[] = [];
      for (let i = 0; i < 11; i++) first.push(await attempt('203.0.113.7', i));
      expect(first.slice(0, 10).every((status) => status === 401)).toBe(true);
      expect(first[10]).toBe(429);
      // Another customer behind the same proxy is not locked out by the first one.
      expect(await attempt('198.51.100.9', 0)).toBe(401);
    } finally {
      await proxied.close();
    }
  });

  it('without TRUST_PROXY, ignores X-Forwarded-For (a client cannot dodge the limit)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await fetch(`${h.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `192.0.2.${i}` },
        body: JSON.stringify({ email: 'dodger@example.test', password: `guess-${i}` }),
      });
      statuses.push(response.status);
    }
    expect(statuses[10]).toBe(429);
  });

  it('requires the CSRF header on cookie-authenticated writes', async () => {
    const client = await signIn(h, account.admin.email, account.admin.password);
    const withoutHeader = await fetch(`${h.url}/api/tickets/x`, {
      method: 'PATCH',
      headers: { cookie: client.cookie!, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'solved' }),
    });
    expect(withoutHeader.status).toBe(403);
    expect(((await withoutHeader.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    const withHeader = await client.request('PATCH', '/api/tickets/x', { status: 'solved' });
    expect(withHeader.status).toBe(404);
  });

  it('signs out and the cookie stops working', async () => {
    const client = await signIn(h, account.admin.email, account.admin.password);
    expect((await client.request('GET', '/api/me')).status).toBe(200);
    expect((await client.request('DELETE', '/api/session')).status).toBe(204);
    expect((await client.request('GET', '/api/me')).status).toBe(401);
  });

  it('accepts bearer API tokens without CSRF, and only while the agent is active', async () => {
    const agent = await buildAgent(h, account);
    const client = await signIn(h, agent.email, agent.password);
    const created = await client.request<{ token: string }>('POST', '/api/tokens', { name: 'integration' });
    expect(created.status).toBe(201);
    const api = withToken(h, created.body.token);
    expect((await api.request('GET', '/api/me')).body).toMatchObject({ agent: { id: agent.id } });
    expect((await api.request('PATCH', '/api/tickets/missing', { status: 'open' })).status).toBe(404);
    const admin = await signIn(h, account.admin.email, account.admin.password);
    expect((await admin.request('PATCH', `/api/agents/${agent.id}`, { disabled: true })).status).toBe(200);
    expect((await api.request('GET', '/api/me')).status).toBe(401);
    expect((await client.request('GET', '/api/me')).status).toBe(401);
  });

  it('changes a password only with the current one, so a session or API token cannot take over the sign-in', async () => {
    const agent = await buildAgent(h, account);
    const session = await signIn(h, agent.email, agent.password);
    const created = await session.request<{ token: string }>('POST', '/api/tokens', { name: 'integration' });
    const token = withToken(h, created.body.token);
    for (const client of [token, session]) {
      for (const body of [
        { password: 'taken over password' },
        { password: 'taken over password', currentPassword: 'a wrong guess' },
      ]) {
        const refused = await client.request('PATCH', '/api/me', body);
        expect(refused.status).toBe(403);
        expect(refused.body).toMatchObject({
          error: { code: 'forbidden', details: { field: 'currentPassword' } },
        });
      }
    }
    await expect(signIn(h, agent.email, 'taken over password')).rejects.toThrow(/401/);
    const changed = await token.request('PATCH', '/api/me', {
      password: 'my new long password',
      currentPassword: agent.password,
    });
    expect(changed.status).toBe(200);
    await expect(signIn(h, agent.email, 'my new long password')).resolves.toBeTruthy();
    expect((await session.request('PATCH', '/api/me', { locale: 'pt-BR' })).status).toBe(401);
  });

  it('limits password-change attempts per agent, so a stolen token cannot guess the password', async () => {
    const agent = await buildAgent(h, account);
    const session = await signIn(h, agent.email, agent.password);
    const created = await session.request<{ token: string }>('POST', '/api/tokens', { name: 'stolen' });
    const token = withToken(h, created.body.token);
    const statuses: number[] = [];
    for (let i = 0; i < PASSWORD_CHANGES_PER_WINDOW + 1; i++) {
      const guess = await token.request('PATCH', '/api/me', {
        password: 'taken over password',
        currentPassword: `guess-${i}`,
      });
      statuses.push(guess.status);
    }
    expect(statuses.slice(0, PASSWORD_CHANGES_PER_WINDOW).every((status) => status === 403)).toBe(true);
    const limited = statuses[PASSWORD_CHANGES_PER_WINDOW];
    expect(limited).toBe(429);
    // The limit is the agent's, not the credential's: the session is limited too, and even the
    // right password waits; other changes of the profile are not limited.
    const right = await session.request('PATCH', '/api/me', {
      password: 'taken over password',
      currentPassword: agent.password,
    });
    expect(right.status).toBe(429);
    expect(right.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect((await session.request('PATCH', '/api/me', { locale: 'pt-BR' })).status).toBe(200);
    await expect(signIn(h, agent.email, agent.password)).resolves.toBeTruthy();
  });

  it('lets only admins manage agents and channels', async () => {
    const agent = await buildAgent(h, account);
    const client = await signIn(h, agent.email, agent.password);
    const response = await client.request('POST', '/api/agents', {
      email: 'x@y.test',
      name: 'X',
      password: 'long enough pw',
    });
    expect(response.status).toBe(403);
    expect(
      (await client.request('POST', '/api/channels', { kind: 'sms', name: 'x', config: {} })).status,
    ).toBe(403);
  });
});

describe('bad input', () => {
  it('names the problem for malformed JSON, unknown fields and wrong types', async () => {
    const client = await signIn(h, account.admin.email, account.admin.password);
    const malformed = await client.request('POST', '/api/agents', '{"email": ', {
      'content-type': 'application/json',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: { code: 'invalid_json' } });
    const unknown = await client.request('POST', '/api/agents', {
      email: 'a@b.test',
      name: 'A',
      password: 'long enough pw',
      admin: true,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      error: { code: 'validation_failed', details: { field: 'admin', issue: 'unknown_field' } },
    });
    const wrongType = await client.request('POST', '/api/agents', {
      email: 'a@b.test',
      name: 42,
      password: 'long enough pw',
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toMatchObject({
      error: { code: 'validation_failed', details: { field: 'name', issue: 'invalid' } },
    });
    const missing = await client.request('POST', '/api/agents', { email: 'a@b.test', name: 'A' });
    expect(missing.body).toMatchObject({
      error: { code: 'validation_failed', details: { field: 'password', issue: 'required' } },
    });
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const response = await anonymous(h).request('GET', '/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: 'not_found' } });
  });
});
