// Who is signed in, for every view that needs it (the header, and the
// conversation's "your message" actions). One document, so urql serves
// it from its cache after the header asked.
import { useQuery } from '@urql/preact';
import { graphql } from './gql';
import { useToken } from './session';

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      id
      name
      handle
    }
  }
`);

export function useViewer(): { id: string; name: string; handle: string } | null {
  const token = useToken();
  const [{ data }] = useQuery({ query: ViewerQuery, pause: !token });
  return token ? (data?.viewer ?? null) : null;
}
