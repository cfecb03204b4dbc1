// /app/pages/<handle>: the page as a visitor sees it (name, about, badge,
// whether it takes messages, hours, the wall) and the visitor's
// conversation with it. Staff also get "Reply privately" on comments.
import { useEffect, useState } from 'preact/hooks';
import { useApi } from '../api';
import { useConnection } from '../connection';
import { Link } from 'wouter-preact';
import { useMutation, useQuery } from '@urql/preact';
import { graphql } from '../gql';
import type { CommentFieldsFragment, PageViewQuery } from '../gql/graphql';
import { errorText } from '../errors';
import { formatDuration, formatHours, formatRate, formatTime } from '../format';
import { useToken } from '../session';
import { Conversation } from '../components/Conversation';
import { Composer } from '../components/Composer';

const PageViewDoc = graphql(`
  query PageView($handle: String!) {
    page(handle: $handle) {
      id
      name
      handle
      about
      messagingEnabled
      acceptingMessages
      awayMessage
      timeZone
      availability {
        weekday
        startMinute
        endMinute
      }
      viewerRole
      viewerCanMessage
      viewerHasBlocked
      viewerThread {
        id
      }
      responsiveness {
        veryResponsive
        responseRate
        medianResponseSeconds
      }
      posts(first: 20) {
        edges {
          node {
            id
            kind
            body
            createdAt
            commentCount
            comments(first: 50) {
              edges {
                node {
                  id
                  body
                  hidden
                  createdAt
                  repliedPrivately
                  viewerCanReplyPrivately
                  author {
                    id
                    name
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`);

export const CommentFields = graphql(`
  fragment CommentFields on Comment {
    id
    body
    hidden
    createdAt
    repliedPrivately
    viewerCanReplyPrivately
    author {
      id
      name
    }
  }
`);

const BlockPage = graphql(`
  mutation BlockPage($pageId: ID!) {
    blockPage(input: { pageId: $pageId }) {
      page {
        id
        viewerHasBlocked
        viewerCanMessage
      }
    }
  }
`);

const UnblockPageDoc = graphql(`
  mutation UnblockThisPage($pageId: ID!) {
    unblockPage(input: { pageId: $pageId }) {
      page {
        id
        viewerHasBlocked
        viewerCanMessage
      }
    }
  }
`);

const CreateComment = graphql(`
  mutation CreateComment($postId: ID!, $body: String!) {
    createComment(input: { postId: $postId, body: $body }) {
      comment {
        id
      }
    }
  }
`);

const CreatePost = graphql(`
  mutation CreatePost($pageId: ID!, $body: String!) {
    createPost(input: { pageId: $pageId, body: $body }) {
      post {
        id
      }
    }
  }
`);

const ReplyPrivately = graphql(`
  mutation ReplyPrivately($input: ReplyPrivatelyInput!) {
    replyPrivatelyToComment(input: $input) {
      thread {
        id
      }
    }
  }
`);

const HideComment = graphql(`
  mutation HideComment($commentId: ID!, $hidden: Boolean!) {
    hideComment(input: { commentId: $commentId, hidden: $hidden }) {
      comment {
        id
        hidden
        body
      }
    }
  }
`);

type Page = NonNullable<PageViewQuery['page']>;

export function PageView({ handle }: { handle: string }) {
  const token = useToken();
  const [{ data, error, fetching }, refetch] = useQuery({ query: PageViewDoc, variables: { handle } });
  const [createdThread, setCreatedThread] = useState<string | null>(null);
  const page = data?.page;
  const reload = () => refetch({ requestPolicy: 'network-only' });
  // After a reconnect the page may have changed (messaging switched, blocked).
  const conn = useConnection(useApi().status);
  useEffect(() => {
    if (conn.epoch > 1) reload();
  }, [conn.epoch]); // eslint-disable-line react-hooks/exhaustive-deps
  if (error && !data?.page) return <p role="alert">{errorText(error)}</p>;
  if (!page) return fetching ? <p class="muted">Loading…</p> : <h1>No page called @{handle}</h1>;
  const staff = page.viewerRole === 'ADMIN' || page.viewerRole === 'MODERATOR';
  const threadId = page.viewerThread?.id ?? createdThread;

  return (
    <div class="page-view">
      <header class="page-head">
        <h1>{page.name}</h1>
        <p class="muted">@{page.handle}</p>
        {page.responsiveness.veryResponsive && <p class="badge good">Very responsive</p>}
        {page.about && <p>{page.about}</p>}
        <Availability page={page} />
        {page.viewerRole && (
          <p>
            You are {page.viewerRole.toLowerCase()} of this page:{' '}
            {staff && (
              <>
                <Link href={`/pages/${page.handle}/inbox`}>Open the inbox</Link> ·{' '}
              </>
            )}
            <Link href={`/pages/${page.handle}/settings`}>Page settings</Link>
          </p>
        )}
        {token && !page.viewerRole && <BlockButton page={page} onDone={reload} />}
      </header>

      {!staff && (
        <section class="card chat" aria-labelledby="chat-heading">
          <h2 id="chat-heading">Your conversation with {page.name}</h2>
          {!token ? (
            <p>
              <Link href="/">Log in or create an account</Link> to write to {page.name}.
            </p>
          ) : page.viewerHasBlocked ? (
            <p>You blocked this page: it cannot message you and you cannot write to it.</p>
          ) : threadId || page.viewerCanMessage ? (
            <Conversation
              threadId={threadId}
              side="visitor"
              pageId={page.id}
              pageName={page.name}
              onThreadCreated={(id) => setCreatedThread(id)}
            />
          ) : (
            <p role="note">{page.name} is not taking messages right now.</p>
          )}
        </section>
      )}

      <Wall page={page} staff={staff} signedIn={!!token} onChange={reload} />
      {!page.viewerRole && (
        <section class="card">
          <h2>Responsiveness</h2>
          {page.responsiveness.responseRate == null ? (
            // A new page has no figures yet: say so instead of showing dashes.
            <p class="muted">Not enough conversations in the last 7 days to say how fast {page.name} answers.</p>
          ) : (
            <p>
              Answers {formatRate(page.responsiveness.responseRate)} of messages, typically in{' '}
              {formatDuration(page.responsiveness.medianResponseSeconds)} (last 7 days).
            </p>
          )}
        </section>
      )}
    </div>
  );
}

function Availability({ page }: { page: Page }) {
  const hours = formatHours(page.availability);
  return (
    <div class="availability">
      <p>
        <strong>{page.acceptingMessages ? 'Taking messages now.' : 'Not taking messages right now.'}</strong>
        {!page.acceptingMessages && page.awayMessage && <> Away message: “{page.awayMessage}”</>}
      </p>
      {page.messagingEnabled && hours && (
        <p class="muted">
          Hours ({page.timeZone} time): {hours}
        </p>
      )}
    </div>
  );
}

function BlockButton({ page, onDone }: { page: Page; onDone: () => void }) {
  const [, block] = useMutation(BlockPage);
  const [, unblock] = useMutation(UnblockPageDoc);
  return page.viewerHasBlocked ? (
    <button type="button" onClick={() => unblock({ pageId: page.id }).then(onDone)}>
      Unblock this page
    </button>
  ) : (
    <button
      type="button"
      class="secondary"
      onClick={() => {
        if (confirm(`Block ${page.name}? It will not be able to message you.`)) void block({ pageId: page.id }).then(onDone);
      }}
    >
      Block this page
    </button>
  );
}

function Wall({ page, staff, signedIn, onChange }: { page: Page; staff: boolean; signedIn: boolean; onChange: () => void }) {
  const [, createPost] = useMutation(CreatePost);
  const posts = page.posts.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  return (
    <section class="card wall" aria-labelledby="wall-heading">
      <h2 id="wall-heading">Wall</h2>
      {staff && (
        <Composer
          label="New post"
          button="Post"
          files={false}
          onSend={async ({ body }) => {
            const r = await createPost({ pageId: page.id, body });
            onChange();
            return errorText(r.error);
          }}
        />
      )}
      {posts.length === 0 && <p class="muted">No posts yet.</p>}
      {posts.map((p) => (
        <article key={p.id} class="post" aria-label={`Post from ${formatTime(p.createdAt)}`}>
          <p class="meta">
            {page.name} · <time dateTime={p.createdAt}>{formatTime(p.createdAt)}</time>
          </p>
          <p>{p.body}</p>
          <ul class="comments" aria-label="Comments">
            {p.comments.edges?.flatMap((e) => (e?.node ? [e.node] : [])).map((c) => (
              <CommentItem key={c.id} c={c} staff={staff} onChange={onChange} />
            ))}
          </ul>
          {signedIn && <CommentForm postId={p.id} onDone={onChange} />}
        </article>
      ))}
    </section>
  );
}


function CommentItem({ c, staff, onChange }: { c: CommentFieldsFragment; staff: boolean; onChange: () => void }) {
  const [replying, setReplying] = useState(false);
  const [sent, setSent] = useState(false);
  const [, reply] = useMutation(ReplyPrivately);
  const [, hide] = useMutation(HideComment);
  return (
    <li class="comment">
      <strong>{c.author.name}</strong> {c.hidden && !staff ? <em class="muted">(hidden)</em> : c.body}
      {c.hidden && staff && <em class="muted"> (hidden from visitors)</em>}
      {c.repliedPrivately && <span class="badge">Replied privately</span>}
      {staff && (
        <span class="comment-actions">
          {c.viewerCanReplyPrivately && !sent && (
            <button type="button" class="link" aria-expanded={replying} onClick={() => setReplying(!replying)}>
              Reply privately to {c.author.name}
            </button>
          )}
          <button type="button" class="link" onClick={() => hide({ commentId: c.id, hidden: !c.hidden }).then(onChange)}>
            {c.hidden ? 'Show' : 'Hide'} comment
          </button>
        </span>
      )}
      {replying && (
        <Composer
          label="Private reply"
          button="Send private reply"
          onSend={async ({ body, attachments }) => {
            const r = await reply({ input: { commentId: c.id, body, attachments, clientMessageId: crypto.randomUUID() } });
            if (r.error) return errorText(r.error);
            setSent(true);
            setReplying(false);
            onChange();
            return null;
          }}
        />
      )}
      {sent && <p role="status">Private reply sent: it is in the page's inbox.</p>}
    </li>
  );
}

function CommentForm({ postId, onDone }: { postId: string; onDone: () => void }) {
  const [, create] = useMutation(CreateComment);
  return (
    <Composer
      label="Comment"
      button="Comment"
      files={false}
      onSend={async ({ body }) => {
        const r = await create({ postId, body });
        if (!r.error) onDone();
        return errorText(r.error);
      }}
    />
  );
}
