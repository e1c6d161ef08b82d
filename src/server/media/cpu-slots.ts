// Image and video work is CPU bound: however many jobs are running, at most this many
// transforms run at once in a process (one per core by default).
import { cpus } from 'node:os';

let limit = Math.max(1, cpus().length);
let active = 0;
const waiting: Array<() => void> = [];

export function setCpuSlots(slots: number): void {
  limit = Math.max(1, slots);
}

export async function withCpuSlot<T>(work: () => Promise<T>): Promise<T> {
  if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
  active += 1;
  try {
    return await work();
  } finally {
    active -= 1;
    waiting.shift()?.();
  }
}
