/** Loads a path for a screen and says so when it cannot (a refusal's title, or offline). */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, get } from '../api/client';

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
