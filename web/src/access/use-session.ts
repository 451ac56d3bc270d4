/** Who is signed in on this device: loaded at start, replaced on sign-in, cleared when the server says so. */
import { useCallback, useEffect, useState } from 'react';
import { get, onSessionLost, send, setCsrfToken } from '../api/client';
import type { SessionView } from '../api/types';

export interface SessionState {
  /** undefined while loading. */
  session: SessionView | null | undefined;
  /** Why the last session stopped counting, shown on the sign-in screen. */
  lostReason: string | null;
}

export function useSession() {
  const [state, setState] = useState<SessionState>({ session: undefined, lostReason: null });

  const adopt = useCallback((session: SessionView | null, lostReason: string | null = null) => {
    setCsrfToken(session?.csrfToken ?? null);
    setState({ session, lostReason });
  }, []);

  useEffect(() => {
    void get<{ signedIn: boolean; session?: SessionView }>('/api/session')
      .then((r) => adopt(r.session ?? null))
      .catch(() => adopt(null));
    return onSessionLost((code) => adopt(null, code));
  }, [adopt]);

  return {
    ...state,
    adopt,
    signOut: async () => {
      await send('POST', '/api/session/sign-out').catch(() => undefined);
      adopt(null);
    },
  };
}
