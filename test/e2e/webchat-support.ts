// End-to-end helpers for the webchat: a widget built for the run, a server that serves it with
// the demo shop, and the agent's live socket (/api/ws) as the agent app will hold it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import WebSocket from 'ws';
import type { RealtimeEvent } from '../../src/shared/events.js';
import type { Client } from '../support/client.js';
import type { Harness } from '../support/harness.js';

/** Builds the widget into a temporary directory; returns the script's path and a cleanup. */
export async function buildWidget(): Promise<{ file: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-widget-'));
  await build({
    configFile: join(process.cwd(), 'vite.widget.config.ts'),
    logLevel: 'silent',
    build: { outDir: dir, emptyOutDir: true },
  });
  return { file: join(dir, 'widget.js'), dispose: () => rm(dir, { recursive: true, force: true }) };
}

export interface AgentSocket {
  events: RealtimeEvent[];
  waitFor(predicate: (event: RealtimeEvent) => boolean, timeoutMs?: number): Promise<RealtimeEvent>;
  close(): void;
}

export function openAgentSocket(h: Harness, agent: Client): Promise<AgentSocket> {
  const ws = new WebSocket(`${h.url.replace('http', 'ws')}/api/ws`, {
    headers: { cookie: agent.cookie ?? '', origin: h.url },
  });
  const events: RealtimeEvent[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as RealtimeEvent | { type: 'hello' };
    if ('id' in frame) events.push(frame);
  });
  const socket: AgentSocket = {
    events,
    async waitFor(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(predicate);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`agent socket: no such event among ${events.map((e) => e.type).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.on('message', () => resolve(socket));
    ws.on('error', reject);
  });
}
