// What a channel contributes to the simulator page: a customer view for its simulator channels.
import type { Api, SimulatorChannel } from '../api.js';

export interface ViewContext {
  api: Api;
  channel: SimulatorChannel;
  /** The page's query parameters (e.g. ?customer=…), kept in the address bar. */
  param(name: string): string | null;
  setParam(name: string, value: string | null): void;
}

export interface CustomerView {
  /** Shown in the channel picker, e.g. "Phone (SMS/MMS)". */
  label: string;
  /** Renders into `root`; returns a function that stops timers and listeners. */
  mount(root: HTMLElement, context: ViewContext): () => void;
}
