import type { TicketStatus } from '../../shared/api-schemas.js';
import { useI18n } from '../i18n/i18n.js';

export function StatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useI18n();
  return <span className={`status-badge ${status}`}>{t(`status.${status}`)}</span>;
}
