/** Loads a path for a screen and says so when it cannot (a refusal's title, or offline). */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, get, send } from '../api/client';

export function useLoad<T>(path: string) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    setError(null);
    get<T>(path)
      .then(setData)
      .catch((e: unknown) => setError(e instanceof ApiError ? e.problem.title : String(e)));
  }, [path]);
  useEffect(reload, [reload]);
  return { data, error, reload, setError };
}

/**
 * A back-office change: posted once under the caller's key (one per intent, so a double click
 * repeats it and is answered the same), the refusal's title kept to show. Resolves to the answer,
 * or null when refused.
 */
export function usePost() {
  const [error, setError] = useState<string | null>(null);
  const post = useCallback(async <T>(path: string, body: unknown, key: string): Promise<T | null> => {
    setError(null);
    try {
      return await send<T>('POST', path, body, key);
    } catch (e) {
      setError(e instanceof ApiError ? e.problem.title : String(e));
      return null;
    }
  }, []);
  return { post, error };
}
