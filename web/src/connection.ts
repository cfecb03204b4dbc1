// Connection state of the websocket, shared by every view: whether it is
// up, and an epoch that grows on each (re)connect so live views resubscribe
// from the last seq they showed instead of relying on a replay from where
// they first started.
import { useEffect, useState } from 'preact/hooks';

export interface ConnectionState {
  connected: boolean;
  /** Counts successful connects; 0 before the first one. */
  epoch: number;
  /** The browser says it has no network (navigator.onLine). */
  browserOffline: boolean;
}

type Listener = (s: ConnectionState) => void;

export class ConnectionStatus {
  private state: ConnectionState = { connected: false, epoch: 0, browserOffline: false };
  private listeners = new Set<Listener>();

  get current(): ConnectionState {
    return this.state;
  }

  connected(): void {
    this.set({ connected: true, epoch: this.state.epoch + 1 });
  }

  closed(): void {
    if (this.state.connected) this.set({ connected: false });
  }

  browser(offline: boolean): void {
    this.set({ browserOffline: offline, ...(offline ? { connected: false } : {}) });
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private set(patch: Partial<ConnectionState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l(this.state));
  }
}

export function useConnection(status: ConnectionStatus): ConnectionState {
  const [state, set] = useState(status.current);
  useEffect(() => {
    set(status.current);
    return status.subscribe(set);
  }, [status]);
  return state;
}
