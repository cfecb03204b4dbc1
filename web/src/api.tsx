// The API for the current session, given to every view through context.
// A new session (log in / log out) gets a new client and websocket.
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo } from 'preact/hooks';
import { Provider } from '@urql/preact';
import { createApi, type Api } from './client';
import { useToken } from './session';

const ApiContext = createContext<Api | null>(null);

export function ApiProvider({ children }: { children: ComponentChildren }) {
  const token = useToken();
  const api = useMemo(() => createApi(token), [token]);
  useEffect(() => () => api.dispose(), [api]);
  return (
    <ApiContext.Provider value={api}>
      <Provider value={api.urql}>{children}</Provider>
    </ApiContext.Provider>
  );
}

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}
