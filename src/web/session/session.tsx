// The signed-in agent, the account's agents and channels, and the live event stream: loaded
// once after sign-in and shared by every screen.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { Agent, Channel } from '../../shared/api-schemas.js';
import {
  api,
  ApiError,
  get,
  setCsrfToken,
  setEventPositionListener,
  setUnauthorizedHandler,
  takeEarliestEventId,
} from '../api/http.js';
import { connectRealtime, type Realtime } from '../api/realtime.js';

export interface Me {
  agent: Agent;
  account: { id: string; name: string };
  csrfToken: string | null;
}

export interface Session {
  me: Me;
  agents: Agent[];
  channels: Channel[];
  realtime: Realtime;
  agentName(id: string | null): string | null;
  reloadAgents(): Promise<void>;
  reloadChannels(): Promise<void>;
  setLocale(locale: string | null): Promise<void>;
  signOut(): Promise<void>;
}

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason?: 'expired' }
  | { status: 'signed-in'; session: Session }
  | { status: 'error'; error: string };

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in screen');
  return session;
}

export const SessionProvider = SessionContext.Provider;

export function useSessionState(): {
  state: SessionState;
  signIn(email: string, password: string): Promise<void>;
} {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [me, setMe] = useState<Me | null>(null);
  const [agents, setAgents] = useState<Agent[]>([]);
  const [channels, setChannels] = useState<Channel[]>([]);
  const [realtime, setRealtime] = useState<Realtime | null>(null);

  const reloadAgents = useCallback(async () => {
    setAgents((await get<{ agents: Agent[] }>('/api/agents')).agents);
  }, []);
  const reloadChannels = useCallback(async () => {
    setChannels((await get<{ channels: Channel[] }>('/api/channels')).channels);
  }, []);

  const accept = useCallback(
    async (value: Me) => {
      setCsrfToken(value.csrfToken);
      await Promise.all([reloadAgents(), reloadChannels()]);
      setMe(value);
    },
    [reloadAgents, reloadChannels],
  );

  useEffect(() => {
    let cancelled = false;
    // Ask for the lists alongside: a signed-in agent saves a round trip, a signed-out one
    // gets two quiet 401s.
    const agentsRequest = get<{ agents: Agent[] }>('/api/agents').catch(() => null);
    const channelsRequest = get<{ channels: Channel[] }>('/api/channels').catch(() => null);
    get<Me>('/api/me')
      .then(async (value) => {
        if (cancelled) return;
        const [agentList, channelList] = await Promise.all([agentsRequest, channelsRequest]);
        if (agentList && channelList) {
          setCsrfToken(value.csrfToken);
          setAgents(agentList.agents);
          setChannels(channelList.channels);
          setMe(value);
        } else await accept(value);
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        if (error instanceof ApiError && error.status === 401) setState({ status: 'signed-out' });
        else setState({ status: 'error', error: error instanceof Error ? error.message : String(error) });
      });
    return () => {
      cancelled = true;
    };
  }, [accept]);

  useEffect(() => {
    if (!me) return;
    const connection = connectRealtime(takeEarliestEventId());
    setEventPositionListener((id) => connection.rewindTo(id));
    setRealtime(connection);
    setUnauthorizedHandler(() => {
      setMe(null);
      setState({ status: 'signed-out', reason: 'expired' });
    });
    return () => {
      setEventPositionListener(null);
      connection.close();
      setRealtime(null);
      setUnauthorizedHandler(null);
    };
  }, [me]);

  const signOut = useCallback(async () => {
    try {
      await api('DELETE', '/api/session');
    } finally {
      setCsrfToken(null);
      setMe(null);
      setState({ status: 'signed-out' });
    }
  }, []);

  const setLocale = useCallback(async (locale: string | null) => {
    const agent = await api<Agent>('PATCH', '/api/me', { locale });
    setMe((current) => (current ? { ...current, agent } : current));
  }, []);

  const session = useMemo<Session | null>(() => {
    if (!me || !realtime) return null;
    const names = new Map(agents.map((agent) => [agent.id, agent.name]));
    return {
      me,
      agents,
      channels,
      realtime,
      agentName: (id) => (id ? (names.get(id) ?? null) : null),
      reloadAgents,
      reloadChannels,
      setLocale,
      signOut,
    };
  }, [me, agents, channels, realtime, reloadAgents, reloadChannels, setLocale, signOut]);

  useEffect(() => {
    if (session) setState({ status: 'signed-in', session });
  }, [session]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const value = await api<Me>('POST', '/api/session', { email, password });
      await accept(value);
    },
    [accept],
  );

  return { state, signIn };
}
