// /app/threads/<id>: where a clicked push notification lands (the payload
// knows the thread, not the page). It sends staff to the page's inbox with
// the conversation open and the visitor to the page's conversation.
import { useEffect } from 'preact/hooks';
import { useQuery } from '@urql/preact';
import { useLocation } from 'wouter-preact';
import { graphql } from '../gql';
import { errorText } from '../errors';

const OpenThreadQuery = graphql(`
  query OpenThread($id: ID!) {
    node(id: $id) {
      ... on Thread {
        id
        page {
          id
          handle
          viewerRole
        }
      }
    }
  }
`);

export function OpenThread({ id }: { id: string }) {
  const [{ data, error, fetching }] = useQuery({ query: OpenThreadQuery, variables: { id } });
  const [, navigate] = useLocation();
  const thread = data?.node && 'page' in data.node ? data.node : null;
  useEffect(() => {
    if (!thread) return;
    const p = thread.page;
    navigate(p.viewerRole ? `/pages/${p.handle}/inbox?thread=${encodeURIComponent(thread.id)}` : `/pages/${p.handle}`, { replace: true });
  }, [thread, navigate]);
  if (fetching || thread) return <p>Opening the conversation…</p>;
  return (
    <>
      <h1>Conversation not found</h1>
      <p>{errorText(error) ?? 'It may have been closed to you, or you are signed in as someone else.'}</p>
    </>
  );
}
