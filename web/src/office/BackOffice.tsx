/**
 * The back office: audit search, waiting approvals, the payment review desk, staff and roles, for
 * the signed-in supervisor, manager or admin.
 */
import { useState } from 'react';
import type { SessionView, StoreView } from '../api/types';
import { StoreSelect } from '../common/StoreSelect';
import { useI18n } from '../i18n';
import { JournalScreen } from '../journal/JournalScreen';
import { ApprovalsScreen } from './ApprovalsScreen';
import { AuditScreen } from './AuditScreen';
import { DayCloseScreen } from './DayCloseScreen';
import { FeedbackScreen } from './FeedbackScreen';
import { FollowUpsScreen } from './FollowUpsScreen';
import { ParkedScreen } from './ParkedScreen';
import { ReconScreen } from './ReconScreen';
import { ReviewsScreen } from './ReviewsScreen';
import { RolesScreen } from './RolesScreen';
import { StaffScreen } from './StaffScreen';

type Tab =
  | 'audit'
  | 'journal'
  | 'staff'
  | 'roles'
  | 'approvals'
  | 'reviews'
  | 'followups'
  | 'parked'
  | 'feedback'
  | 'recon'
  | 'dayclose';

export function BackOffice({ session, stores }: { session: SessionView; stores: StoreView[] }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('audit');
  // Store staff work in their store; head office picks one (or, for the audit log, all).
  const [storeId, setStoreId] = useState(session.storeId ?? stores[0]?.id ?? '');
  // Settling a payment under review is a manager's (or head office's) decision.
  const tabs: Tab[] =
    session.role === 'manager' || session.role === 'admin'
      ? [
          'audit',
          'journal',
          'followups',
          'parked',
          'feedback',
          'recon',
          'dayclose',
          'approvals',
          'reviews',
          'staff',
          'roles',
        ]
      : ['audit', 'journal', 'followups', 'parked', 'feedback', 'approvals', 'staff', 'roles'];
  return (
    <div className="office">
      <nav className="tabs" aria-label={t('navOffice')}>
        {tabs.map((x) => (
          <button type="button" key={x} aria-current={tab === x} onClick={() => setTab(x)}>
            {t(`tab_${x}`)}
          </button>
        ))}
        {session.storeId === null && (
          <StoreSelect stores={stores} value={storeId} label={t('officeStore')} onChange={setStoreId} />
        )}
      </nav>
      {tab === 'audit' && <AuditScreen storeId={storeId} />}
      {/* The same journal, to look things up: returns are taken at a till. */}
      {tab === 'journal' && (
        <JournalScreen key={storeId} storeId={storeId} tillId={null} onOpenSale={() => undefined} />
      )}
      {tab === 'approvals' && <ApprovalsScreen storeId={storeId} />}
      {tab === 'reviews' && <ReviewsScreen key={storeId} storeId={storeId} />}
      {tab === 'followups' && <FollowUpsScreen key={storeId} storeId={storeId} session={session} />}
      {tab === 'parked' && <ParkedScreen key={storeId} storeId={storeId} />}
      {tab === 'recon' && <ReconScreen key={storeId} storeId={storeId} />}
      {tab === 'dayclose' && (
        <DayCloseScreen key={storeId} store={stores.find((s) => s.id === storeId) ?? null} />
      )}
      {tab === 'feedback' && <FeedbackScreen key={storeId} storeId={storeId} session={session} />}
      {tab === 'staff' && <StaffScreen storeId={storeId} session={session} />}
      {tab === 'roles' && (
        <RolesScreen
          key={storeId}
          store={stores.find((s) => s.id === storeId) ?? null}
          canSetLimit={session.role === 'admin' && session.storeId === null}
        />
      )}
    </div>
  );
}
