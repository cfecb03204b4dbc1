// Web Push on this device: the service worker (/app/sw.js, web/public/sw.js)
// and the browser's push subscription. The server is told about the
// subscription by the Notifications control; this file only talks to the
// browser.

export const serviceWorkerUrl = `${import.meta.env.BASE_URL}sw.js`;
export const serviceWorkerScope = import.meta.env.BASE_URL;

/** Whether this browser can receive Web Push at all (a secure context with service workers and the Push API). */
export function pushSupported(): boolean {
  return (
    typeof window !== 'undefined' &&
    window.isSecureContext &&
    'serviceWorker' in navigator &&
    'PushManager' in window &&
    'Notification' in window
  );
}

/** The subscription this browser already has for the app, if any. */
export async function currentSubscription(): Promise<PushSubscription | null> {
  const reg = await navigator.serviceWorker.getRegistration(serviceWorkerScope);
  return reg ? reg.pushManager.getSubscription() : null;
}

/** What registerPushSubscription needs, from a browser subscription. */
export function subscriptionInput(sub: PushSubscription) {
  const { endpoint, keys } = sub.toJSON();
  if (!endpoint || !keys?.p256dh || !keys?.auth) throw new Error('The browser gave a push subscription without keys.');
  return { endpoint, p256dh: keys.p256dh, auth: keys.auth, userAgent: navigator.userAgent.slice(0, 512) };
}

/**
 * Registers the service worker, asks for permission and subscribes with the
 * server's VAPID key. Resolves null when the person declines.
 */
export async function subscribe(vapidPublicKey: string): Promise<PushSubscription | null> {
  await navigator.serviceWorker.register(serviceWorkerUrl, { scope: serviceWorkerScope });
  const reg = await navigator.serviceWorker.ready;
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return null;
  const existing = await reg.pushManager.getSubscription();
  if (existing) return existing;
  return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: vapidPublicKey });
}
