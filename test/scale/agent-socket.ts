// An agent's WebSocket on one instance, collecting frames and waiting for the ones asked for.
import WebSocket from 'ws';
import type { Client } from '../support/client.js';

export interface Frame {
  type: string;
  id?: number;
  lastEventId?: number;
  data?: {
    message?: { id: string; text: string; ticketId: string };
    attachment?: { id: string; state: string };
  };
}

export interface AgentSocket {
  frames: Frame[];
  until(predicate: (frames: Frame[]) => boolean, what: string): Promise<void>;
  close(): Promise<void>;
}

export async function openAgentSocket(url: string, agent: Client, since?: number): Promise<AgentSocket> {
  const frames: Frame[] = [];
  const socket = new WebSocket(
    `${url.replace('http', 'ws')}/api/ws${since !== undefined ? `?since=${since}` : ''}`,
    {
      headers: { cookie: agent.cookie ?? '', origin: url },
    },
  );
  socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as Frame));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const until = async (predicate: (frames: Frame[]) => boolean, what: string) => {
    for (let i = 0; i < 400; i++) {
      if (predicate(frames)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`Timed out waiting for ${what}; frames: ${JSON.stringify(frames.map((f) => f.type))}`);
  };
  await until((all) => all.some((frame) => frame.type === 'hello'), 'hello');
  return {
    frames,
    until,
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === socket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
}

export const createdTexts = (frames: Frame[]): string[] =>
  frames.filter((frame) => frame.type === 'message.created').map((frame) => frame.data?.message?.text ?? '');
