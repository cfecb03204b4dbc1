// A conversation's messages in seq order, merged from the first page
// (a query), the live stream (a subscription that resumes after the last
// seq shown) and each send's answer. Merging by seq is what makes a
// reconnect show every message exactly once.

export interface HasSeq {
  seq: number;
}

/** Adds incoming messages to list (sorted by seq), dropping seqs already there. */
export function mergeBySeq<T extends HasSeq>(list: readonly T[], incoming: readonly T[]): T[] {
  if (incoming.length === 0) return list as T[];
  const bySeq = new Map<number, T>();
  for (const m of list) bySeq.set(m.seq, m);
  let changed = false;
  for (const m of incoming) {
    if (!bySeq.has(m.seq)) {
      bySeq.set(m.seq, m);
      changed = true;
    }
  }
  if (!changed) return list as T[];
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * The seq to resume after: the end of the run of consecutive seqs that
 * starts at the first message shown, so a gap is filled on resume.
 */
export function resumeAfter(list: readonly HasSeq[]): number {
  if (list.length === 0) return 0;
  let last = list[0].seq;
  for (let i = 1; i < list.length; i++) {
    if (list[i].seq !== last + 1) break;
    last = list[i].seq;
  }
  return last;
}

export interface HasIdSeq extends HasSeq {
  id: string;
}

/**
 * Adds new messages like mergeBySeq and replaces the ones already shown
 * with their newer state (an edit, an unsend, a reaction): what a
 * messageUpdated event or a fresh page of the thread brings.
 */
export function upsertMessages<T extends HasIdSeq>(list: readonly T[], incoming: readonly T[]): T[] {
  if (incoming.length === 0) return list as T[];
  const bySeq = new Map<number, T>();
  for (const m of list) bySeq.set(m.seq, m);
  for (const m of incoming) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
