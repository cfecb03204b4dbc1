// "Enable notifications" in the header: subscribes this browser to Web Push
// and registers the subscription with the server, so the person's
// notifications (new messages, replies, assignments, mentions) reach this
// device while the app is closed. "Turn off notifications" undoes both.
import { useEffect, useState } from 'preact/hooks';
import { useMutation, useQuery } from '@urql/preact';
import type { Client } from '@urql/core';
import { graphql } from '../gql';
import { errorText } from '../errors';
import { currentSubscription, pushSupported, subscribe, subscriptionInput } from '../push';

const PushState = graphql(`
  query PushState {
    vapidPublicKey
    viewer {
      id
      pushSubscriptions {
        id
        endpoint
      }
    }
  }
`);

const RegisterPush = graphql(`
  mutation RegisterPush($i: RegisterPushSubscriptionInput!) {
    registerPushSubscription(input: $i) {
      pushSubscription {
        id
        endpoint
      }
    }
  }
`);

const UnregisterPush = graphql(`
  mutation UnregisterPush($i: NodeRefInput!) {
    unregisterPushSubscription(input: $i) {
      deletedId
    }
  }
`);

type State = { kind: 'checking' } | { kind: 'off' } | { kind: 'on'; id: string } | { kind: 'busy' };

export function Notifications() {
  const supported = pushSupported();
  const [{ data }] = useQuery({ query: PushState, pause: !supported, requestPolicy: 'network-only' });
  const [, register] = useMutation(RegisterPush);
  const [, unregister] = useMutation(UnregisterPush);
  const [state, setState] = useState<State>({ kind: 'checking' });
  const [message, setMessage] = useState<string | null>(null);

  // On: this browser holds a subscription the server has for this person.
  useEffect(() => {
    if (!supported || !data) return;
    let live = true;
    currentSubscription()
      .then((sub) => {
        const mine = sub && data.viewer?.pushSubscriptions?.find((s) => s.endpoint === sub.endpoint);
        if (live) setState(mine ? { kind: 'on', id: mine.id } : { kind: 'off' });
      })
      .catch(() => live && setState({ kind: 'off' }));
    return () => {
      live = false;
    };
  }, [supported, data]);

  if (!supported) {
    return <span class="push-note">Notifications are not available in this browser.</span>;
  }

  async function enable() {
    if (!data) return;
    setMessage(null);
    setState({ kind: 'busy' });
    try {
      const sub = await subscribe(data.vapidPublicKey);
      if (!sub) {
        setMessage('Notifications are blocked for this site: allow them in the browser settings.');
        setState({ kind: 'off' });
        return;
      }
      const r = await register({ i: subscriptionInput(sub) });
      if (r.error || !r.data) {
        await sub.unsubscribe().catch(() => undefined);
        setMessage(errorText(r.error) ?? 'Could not turn notifications on.');
        setState({ kind: 'off' });
        return;
      }
      setState({ kind: 'on', id: r.data.registerPushSubscription.pushSubscription.id });
    } catch (e) {
      setMessage(`Could not turn notifications on: ${e instanceof Error ? e.message : String(e)}`);
      setState({ kind: 'off' });
    }
  }

  async function disable(id: string) {
    setMessage(null);
    setState({ kind: 'busy' });
    const r = await unregister({ i: { id } });
    if (r.error) {
      setMessage(errorText(r.error));
      setState({ kind: 'on', id });
      return;
    }
    const sub = await currentSubscription().catch(() => null);
    await sub?.unsubscribe().catch(() => undefined);
    setState({ kind: 'off' });
  }

  return (
    <span class="push">
      {state.kind === 'on' ? (
        <>
          <span role="status">Notifications are on</span>
          <button type="button" class="link" onClick={() => disable(state.id)}>
            Turn off notifications
          </button>
        </>
      ) : (
        <button type="button" class="link" disabled={state.kind !== 'off' || !data} onClick={enable}>
          Enable notifications
        </button>
      )}
      {message && <span role="alert">{message}</span>}
    </span>
  );
}

/**
 * Stops pushing to this browser before its person logs out, so that the
 * next person on a shared device does not see their notifications.
 */
export async function turnOffOnLogOut(client: Client): Promise<void> {
  if (!pushSupported()) return;
  const sub = await currentSubscription().catch(() => null);
  if (!sub) return;
  const r = await client.query(PushState, {}, { requestPolicy: 'network-only' }).toPromise();
  const mine = r.data?.viewer?.pushSubscriptions?.find((s) => s.endpoint === sub.endpoint);
  if (mine) await client.mutation(UnregisterPush, { i: { id: mine.id } }).toPromise();
  await sub.unsubscribe().catch(() => undefined);
}
