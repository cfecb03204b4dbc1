// The reply composer: "Message" textbox, "Attach files", "Send"; Enter
// sends, Shift+Enter starts a new line. Staff type "/" and a shortcut to
// pick a saved reply. Typing is reported at most every 3 s.
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { AttachmentInput } from '../gql/graphql';
import type { SavedReplyOption } from './Conversation';

export interface Outgoing {
  body: string;
  attachments?: AttachmentInput[];
}

interface Props {
  onSend: (out: Outgoing) => Promise<string | null>;
  onTyping?: (typing: boolean) => void;
  savedReplies?: readonly SavedReplyOption[];
  label?: string;
  button?: string;
  /** Comments and posts take no attachments. */
  files?: boolean;
  /** Shown above the textbox (the message being quoted). */
  above?: ComponentChildren;
}

let composerIds = 0;

function attachmentType(f: File): AttachmentInput['type'] {
  if (f.type.startsWith('image/')) return 'IMAGE';
  if (f.type.startsWith('video/')) return 'VIDEO';
  return 'FILE';
}

export function Composer({ onSend, onTyping, savedReplies, label = 'Message', button = 'Send', files: withFiles = true, above }: Props) {
  const [id] = useState(() => `composer-${++composerIds}`);
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const lastTyping = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout>>();
  const fileInput = useRef<HTMLInputElement>(null);

  const matches =
    savedReplies && text.startsWith('/')
      ? savedReplies.filter((r) => r.shortcut.toLowerCase().startsWith(text.slice(1).trim().toLowerCase())).slice(0, 8)
      : [];

  const stopTyping = () => {
    clearTimeout(idle.current);
    if (lastTyping.current) {
      lastTyping.current = 0;
      onTyping?.(false);
    }
  };

  const input = (value: string) => {
    setText(value);
    if (!onTyping) return;
    const now = Date.now();
    if (value && now - lastTyping.current > 3000) {
      lastTyping.current = now;
      onTyping(true);
    }
    clearTimeout(idle.current);
    idle.current = setTimeout(stopTyping, 5000);
  };

  const submit = async () => {
    if (busy) return;
    // "/ship" with exactly one saved reply: expand it instead of sending.
    if (matches.length === 1 && text.trim() === `/${matches[0].shortcut}`) {
      setText(matches[0].body);
      return;
    }
    if (!text.trim() && files.length === 0) return;
    setBusy(true);
    setError(null);
    const err = await onSend({
      body: text.trim(),
      attachments: files.length ? files.map((file) => ({ type: attachmentType(file), file })) : undefined,
    });
    setBusy(false);
    if (err) {
      setError(err);
      return;
    }
    setText('');
    setFiles([]);
    if (fileInput.current) fileInput.current.value = '';
    stopTyping();
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {matches.length > 0 && (
        <ul class="saved" aria-label="Saved replies">
          {matches.map((r) => (
            <li key={r.id}>
              <button type="button" onClick={() => setText(r.body)}>
                <strong>/{r.shortcut}</strong> {r.title}
              </button>
            </li>
          ))}
        </ul>
      )}
      {above}
      <label class="sr-only" for={id}>
        {label}
      </label>
      <textarea
        id={id}
        rows={2}
        value={text}
        placeholder={savedReplies ? 'Write a reply, or / for saved replies' : label === 'Message' ? 'Write a message' : undefined}
        onInput={(e) => input((e.target as HTMLTextAreaElement).value)}
        onBlur={stopTyping}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void submit();
          }
        }}
      />
      <div class="composer-actions">
        {withFiles && (
        <label class="file">
          Attach files
          <input
            ref={fileInput}
            type="file"
            multiple
            onChange={(e) => setFiles(Array.from((e.target as HTMLInputElement).files ?? []))}
          />
        </label>
        )}
        {files.length > 0 && <span class="muted">{files.map((f) => f.name).join(', ')}</span>}
        <button type="submit" disabled={busy}>
          {button}
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
