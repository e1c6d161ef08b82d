// What the channel will do with each file and with the text, from the shared rules table and
// the channel's own limits: the same plan (`planReply`) the server applies when it sends.
import type { ChannelKind, ChannelLimits } from '../../shared/api-schemas.js';
import { attachmentBudgetOf, planReply } from '../../shared/channel-plan.js';
import {
  defaultChannelRules,
  type AttachmentDecision,
  type PlanContext,
} from '../../shared/channel-rules.js';
import type { I18n } from '../i18n/i18n.js';

export interface FileFacts {
  id: string;
  contentType: string;
  size: number;
}

export interface FileHint {
  tone: 'neutral' | 'info' | 'warning' | 'error';
  text: string;
  decision: AttachmentDecision;
  /** Sendable, but beyond the message's attachment budget (e-mail): it goes as a secure link. */
  overBudget?: boolean;
}

export interface ComposerHints {
  files: Map<string, FileHint>;
  /** Whole-message notes: splitting, where the text goes, length. */
  notes: Array<{ tone: 'info' | 'warning'; text: string }>;
  /** A file that cannot go out at all on this channel. */
  blocked: boolean;
}

export function formatName(contentType: string): string {
  const subtype = contentType.split('/')[1] ?? contentType;
  return (
    subtype
      .replace(/^x-/, '')
      .split(/[.+;-]/)[0]
      ?.toUpperCase() ?? subtype
  );
}

export function describeDecision(
  i18n: I18n,
  kind: ChannelKind,
  file: FileFacts,
  decision: AttachmentDecision,
): FileHint {
  const channel = i18n.t(`channel.${kind}`);
  switch (decision.action) {
    case 'send':
      return { tone: 'neutral', decision, text: i18n.t('hint.send') };
    case 'convert':
      return { tone: 'info', decision, text: i18n.t('hint.convert', { format: formatName(decision.to) }) };
    case 'fit':
      return file.size > decision.maxBytes
        ? { tone: 'info', decision, text: i18n.t('hint.compress', { size: i18n.bytes(decision.maxBytes) }) }
        : { tone: 'info', decision, text: i18n.t('hint.convert', { format: formatName(decision.to) }) };
    case 'link':
      return {
        tone: 'warning',
        decision,
        text:
          decision.reason === 'too_large'
            ? i18n.t('hint.linkTooLarge', { channel })
            : decision.reason === 'destination'
              ? i18n.t('hint.linkDestination')
              : i18n.t('hint.linkType', { channel }),
      };
    case 'reject':
      return {
        tone: 'error',
        decision,
        text:
          decision.reason === 'too_large'
            ? i18n.t('hint.rejectTooLarge', { channel })
            : i18n.t('hint.rejectType', { channel }),
      };
  }
}

export function composerHints(
  i18n: I18n,
  kind: ChannelKind,
  files: FileFacts[],
  text: string,
  /** Facts about the destination (e.g. an SMS number outside the US and Canada takes no media). */
  context: PlanContext = {},
  /** The channel's own limits (its e-mail attachment budget, its MMS image budget). */
  limits: ChannelLimits = {},
): ComposerHints {
  const rules = defaultChannelRules[kind];
  const channel = i18n.t(`channel.${kind}`);
  const hints = new Map<string, FileHint>();
  const plan = planReply(rules, limits, files, context);
  for (const { file, decision, overBudget } of plan.files) {
    hints.set(
      file.id,
      overBudget
        ? { tone: 'warning', decision, overBudget, text: i18n.t('hint.linkBudget') }
        : describeDecision(i18n, kind, file, decision),
    );
  }
  const blocked = plan.files.some(({ decision }) => decision.action === 'reject');
  const notes: ComposerHints['notes'] = [];
  if (plan.groups.length > 1)
    notes.push({ tone: 'info', text: i18n.t('hint.split', { count: plan.groups.length, channel }) });
  if (plan.overBudget.length > 0)
    notes.push({
      tone: 'info',
      text: i18n.t('hint.budget', {
        count: plan.overBudget.length,
        attached: plan.groups.flat().length,
        size: i18n.bytes(attachmentBudgetOf(rules, limits)),
      }),
    });
  const media = plan.groups.flat();
  if (media.length > 0 && text.trim()) {
    if (rules.caption === 'first-media') notes.push({ tone: 'info', text: i18n.t('hint.captionFirst') });
    if (rules.caption === 'separate-message')
      notes.push({ tone: 'info', text: i18n.t('hint.captionSeparate', { channel }) });
  }
  if (rules.captionMaxChars !== null && text.length > rules.captionMaxChars)
    notes.push({
      tone: 'warning',
      text: i18n.t('hint.textTooLong', { channel, max: rules.captionMaxChars }),
    });
  return { files: hints, notes, blocked };
}
