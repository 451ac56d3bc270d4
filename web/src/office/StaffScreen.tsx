/** The store's people: add, change role, disable, set a PIN or password, remove. Roles below one's own only. */
import { type FormEvent, useState } from 'react';
import { canManage, ROLES } from '../../../src/shared';
import { ApiError, send } from '../api/client';
import type { Role, SessionView, StaffView } from '../api/types';
import { Notice } from '../common/Notice';
import { useI18n } from '../i18n';
import { useLoad } from './use-load';

export function StaffScreen({ storeId, session }: { storeId: string; session: SessionView }) {
  const { t } = useI18n();
  const list = useLoad<{ staff: StaffView[] }>(`/api/stores/${storeId}/staff`);
  const grantable = ROLES.filter((r) => canManage(session.role, r));
  const [form, setForm] = useState({ code: '', name: '', role: grantable[0] ?? 'cashier', pin: '' });
  const [notice, setNotice] = useState<string | null>(null);

  const act = async (work: () => Promise<unknown>, done: string) => {
    list.setError(null);
    setNotice(null);
    try {
      await work();
      setNotice(done);
      list.reload();
    } catch (e) {
      list.setError(e instanceof ApiError ? e.problem.title : String(e));
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    void act(
      () =>
        send('POST', `/api/stores/${storeId}/staff`, {
          code: form.code.trim(),
          name: form.name.trim(),
          role: form.role,
          ...(form.pin ? { pin: form.pin } : {}),
        }),
      t('staffAdded', { name: form.name.trim() }),
    ).then(() => setForm((f) => ({ ...f, code: '', name: '', pin: '' })));
  };

  return (
    <section className="staff" aria-label={t('tab_staff')}>
      <Notice tone="error" text={list.error} />
      <Notice tone="info" text={notice} />
      <table className="grid" data-testid="staff-list">
        <thead>
          <tr>
            <th>{t('staffName')}</th>
            <th>{t('staffCode')}</th>
            <th>{t('staffRole')}</th>
            <th>{t('staffSecrets')}</th>
            <th>{t('staffState')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.data?.staff.map((s) => {
            const mine = canManage(session.role, s.role) && s.id !== session.staffId;
            return (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>
                  <code>{s.code}</code>
                </td>
                <td>
                  {mine ? (
                    <select
                      value={s.role}
                      aria-label={t('staffRoleOf', { name: s.name })}
                      onChange={(e) =>
                        void act(
                          () => send('PATCH', `/api/staff/${s.id}`, { role: e.target.value as Role }),
                          t('staffChanged', { name: s.name }),
                        )
                      }
                    >
                      {grantable.map((r) => (
                        <option key={r} value={r}>
                          {t(`role_${r}`)}
                        </option>
                      ))}
                    </select>
                  ) : (
                    t(`role_${s.role}`)
                  )}
                </td>
                <td>
                  {s.hasPin ? 'PIN ✓' : 'PIN —'} ·{' '}
                  {s.hasPassword ? `${t('password')} ✓` : `${t('password')} —`}
                </td>
                <td>
                  {!s.active ? t('staffDisabled') : s.lockedUntil ? t('staffLocked') : t('staffActive')}
                </td>
                <td className="row-actions">
                  {mine && (
                    <>
                      <button
                        type="button"
                        onClick={() => {
                          const pin = window.prompt(t('newPinFor', { name: s.name }));
                          if (pin)
                            void act(
                              () => send('PUT', `/api/staff/${s.id}/pin`, { secret: pin }),
                              t('staffChanged', { name: s.name }),
                            );
                        }}
                      >
                        {t('setPin')}
                      </button>
                      <button
                        type="button"
                        onClick={() =>
                          void act(
                            () => send('PATCH', `/api/staff/${s.id}`, { active: !s.active }),
                            t('staffChanged', { name: s.name }),
                          )
                        }
                      >
                        {s.active ? t('disable') : t('enable')}
                      </button>
                      <button
                        type="button"
                        className="danger"
                        onClick={() => {
                          if (window.confirm(t('removeConfirm', { name: s.name })))
                            void act(
                              () => send('DELETE', `/api/staff/${s.id}`),
                              t('staffRemoved', { name: s.name }),
                            );
                        }}
                      >
                        {t('remove')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {grantable.length > 0 && (
        <form className="filters" onSubmit={add} aria-label={t('addStaff')}>
          <h2>{t('addStaff')}</h2>
          <label className="field">
            {t('staffName')}
            <input
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
              aria-label={t('staffName')}
            />
          </label>
          <label className="field">
            {t('staffCode')}
            <input
              value={form.code}
              onChange={(e) => setForm({ ...form, code: e.target.value })}
              aria-label={t('newStaffCode')}
            />
          </label>
          <label className="field">
            {t('staffRole')}
            <select
              value={form.role}
              onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
              aria-label={t('staffRole')}
            >
              {grantable.map((r) => (
                <option key={r} value={r}>
                  {t(`role_${r}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            PIN
            <input
              inputMode="numeric"
              value={form.pin}
              onChange={(e) => setForm({ ...form, pin: e.target.value.replace(/\D/g, '').slice(0, 6) })}
              aria-label={t('pin')}
            />
          </label>
          <div className="buttons">
            <button type="submit" className="primary" disabled={!form.code.trim() || !form.name.trim()}>
              {t('addStaff')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
