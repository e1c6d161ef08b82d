// The open ticket's channel, for words that name it ("This WhatsApp message type…").
import { createContext, useContext } from 'react';
import type { ChannelKind } from '../../shared/api-schemas.js';

export const ThreadChannel = createContext<ChannelKind | null>(null);

export const useThreadChannel = (): ChannelKind | null => useContext(ThreadChannel);
