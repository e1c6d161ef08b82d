// A reply's files planned with the channel's own limits (an e-mail channel's attachment
// budget, an SMS channel's MMS image budget). The composer shows this plan before sending and
// the server applies the same functions when it sends, so the hint and the result agree.
import type { ChannelLimits } from './api-schemas.js';
import {
  decideAttachment,
  planMessageBudget,
  splitIntoMessages,
  type AttachmentDecision,
  type ChannelRules,
  type PlanContext,
  type PlannedFile,
} from './channel-rules.js';

/** The channel's rules with its own limits applied (today: the SMS image budget). */
export function rulesWithLimits(rules: ChannelRules, limits: ChannelLimits): ChannelRules {
  const budget = limits.mmsImageBytes;
  if (rules.kind !== 'sms' || !budget) return rules;
  return { ...rules, image: { ...rules.image, maxBytes: budget, fitBytes: budget } };
}

/** Bytes of files one message attaches before the rest go as links (channels with `overflow: 'link'`). */
export const attachmentBudgetOf = (rules: ChannelRules, limits: ChannelLimits): number =>
  limits.attachmentBudgetBytes ?? rules.perMessageBytes;

export interface FilePlan<T extends PlannedFile> {
  file: T;
  decision: AttachmentDecision;
  /** Sendable on its own, but beyond the message's attachment budget: it goes as a secure link. */
  overBudget: boolean;
}

export interface ReplyPlan<T extends PlannedFile> {
  files: Array<FilePlan<T>>;
  /** Provider messages that carry media, in order (one for a channel that links the overflow). */
  groups: T[][];
  /** Files beyond the attachment budget (channels with `overflow: 'link'`). */
  overBudget: T[];
}

/** What the channel does with each file of a reply, and how many messages carry them. */
export function planReply<T extends PlannedFile>(
  channelRules: ChannelRules,
  limits: ChannelLimits,
  files: readonly T[],
  context: PlanContext = {},
): ReplyPlan<T> {
  const rules = rulesWithLimits(channelRules, limits);
  const decided = files.map((file) => ({ file, decision: decideAttachment(rules, file, context) }));
  const media = decided
    .filter(({ decision }) => decision.action !== 'link' && decision.action !== 'reject')
    .map(({ file, decision }) =>
      decision.action === 'fit'
        ? { file, size: Math.min(file.size, decision.maxBytes) }
        : { file, size: file.size },
    );
  const sized = media.map(({ file, size }) => ({ file, contentType: file.contentType, size }));
  if (rules.overflow === 'link') {
    const budget = planMessageBudget(rules, sized, attachmentBudgetOf(rules, limits));
    const over = new Set(budget.linked.map((entry) => entry.file));
    return {
      files: decided.map((entry) => ({ ...entry, overBudget: over.has(entry.file) })),
      groups: budget.attached.length ? [budget.attached.map((entry) => entry.file)] : [],
      overBudget: budget.linked.map((entry) => entry.file),
    };
  }
  return {
    files: decided.map((entry) => ({ ...entry, overBudget: false })),
    groups: splitIntoMessages(rules, sized).map((group) => group.map((entry) => entry.file)),
    overBudget: [],
  };
}
