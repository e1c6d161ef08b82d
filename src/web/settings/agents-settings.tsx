// Admins: the account's agents, their roles, and new agents with a first password.
import { useState, type FormEvent } from 'react';
import type { Agent } from '../../shared/api-schemas.js';
import { api } from '../api/http.js';
import { errorText } from '../i18n/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session/session.js';
import { Avatar } from '../ui/avatar.js';
import { agentFormLabels } from './field-labels.js';

function NewAgentForm({ onDone }: { onDone(): void }) {
  const { t } = useI18n();
  const session = useSession();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Agent['role']>('agent');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/agents', { name, email, role, password });
      await session.reloadAgents();
      onDone();
    } catch (failure) {
      setError(errorText(t, failure, agentFormLabels));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form-grid" onSubmit={submit}>
      <h2>{t('agents.new')}</h2>
      <label className="field">
        <span>{t('agents.name')}</span>
        <input required value={name} onChange={(event) => setName(event.target.value)} autoFocus />
      </label>
      <label className="field">
        <span>{t('agents.email')}</span>
        <input type="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
      </label>
      <label className="field">
        <span>{t('agents.role')}</span>
        <select value={role} onChange={(event) => setRole(event.target.value as Agent['role'])}>
          <option value="agent">{t('role.agent')}</option>
          <option value="admin">{t('role.admin')}</option>
        </select>
      </label>
      <label className="field">
        <span>{t('agents.password')}</span>
        <input
          type="password"
          required
          minLength={8}
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <span className="field-hint">{t('agents.passwordHint')}</span>
      </label>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="button" className="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button primary" disabled={busy}>
          {t('agents.create')}
        </button>
      </div>
    </form>
  );
}

export function AgentsSettings() {
  const { t } = useI18n();
  const session = useSession();
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function changeRole(agent: Agent, role: Agent['role']) {
    setError(null);
    try {
      await api('PATCH', `/api/agents/${agent.id}`, { role });
      await session.reloadAgents();
    } catch (failure) {
      setError(errorText(t, failure, agentFormLabels));
    }
  }

  return (
    <>
      <header className="settings-header">
        <div>
          <h1>{t('agents.title')}</h1>
          <p className="muted">{t('agents.subtitle')}</p>
        </div>
        {!adding ? (
          <button type="button" className="button primary" onClick={() => setAdding(true)}>
            {t('agents.add')}
          </button>
        ) : null}
      </header>
      {adding ? <NewAgentForm onDone={() => setAdding(false)} /> : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('agents.name')}</th>
            <th scope="col">{t('agents.email')}</th>
            <th scope="col">{t('agents.role')}</th>
          </tr>
        </thead>
        <tbody>
          {session.agents.map((agent) => (
            <tr key={agent.id}>
              <td>
                <span className="cell-person">
                  <Avatar name={agent.name} size={24} />
                  {agent.name}
                </span>
              </td>
              <td className="muted">{agent.email}</td>
              <td>
                <label className="select-field compact">
                  <span className="visually-hidden">{t('agents.roleOf', { name: agent.name })}</span>
                  <select
                    value={agent.role}
                    disabled={agent.id === session.me.agent.id}
                    onChange={(event) => void changeRole(agent, event.target.value as Agent['role'])}
                  >
                    <option value="agent">{t('role.agent')}</option>
                    <option value="admin">{t('role.admin')}</option>
                  </select>
                </label>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
