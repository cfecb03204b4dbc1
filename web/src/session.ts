// The signed-in session: the bearer token from signUp / logIn, kept in
// localStorage so it survives a reload. Components re-render through
// useSession when it changes (log in, log out, or another tab).
import { useEffect, useState } from 'preact/hooks';

const KEY = 'pageinbox.token';
const listeners = new Set<() => void>();

export function getToken(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(KEY, token);
  else localStorage.removeItem(KEY);
  listeners.forEach((l) => l());
}

export function useToken(): string | null {
  const [token, set] = useState(getToken);
  useEffect(() => {
    const update = () => set(getToken());
    listeners.add(update);
    window.addEventListener('storage', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('storage', update);
    };
  }, []);
  return token;
}
