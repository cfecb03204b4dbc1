// How a live inbox event changes the loaded Conversations list: a new
// message or a new thread moves the thread to the top, anything else
// (status, notes, reactions, read marks, viewers) replaces its row where
// it is. Used for events as they come, and again for the events that came
// while a first page was loading, on top of that page, so a response
// that left the server before an event cannot hide what the event showed.

export interface RowEvent<T extends { id: string }> {
  kind: string;
  thread: T;
}

export function applyInboxEvent<T extends { id: string }>(rows: readonly T[], ev: RowEvent<T>): T[] {
  if (ev.kind === 'MESSAGE_ADDED' || ev.kind === 'THREAD_CREATED') return [ev.thread, ...rows.filter((r) => r.id !== ev.thread.id)];
  if (!rows.some((r) => r.id === ev.thread.id)) return rows as T[];
  return rows.map((r) => (r.id === ev.thread.id ? ev.thread : r));
}
