// graphql-http's audit of the GraphQL over HTTP specification, against the
// running server: prints every audit's result, exits 1 when a MUST or a
// SHOULD fails.
import { serverAudits } from 'graphql-http';

const [url] = process.argv.slice(2);
let failed = 0;
let ran = 0;
for (const audit of serverAudits({ url })) {
  const r = await audit.fn();
  ran++;
  const bad = r.status !== 'ok' && !audit.name.startsWith('MAY');
  if (bad) failed++;
  console.log(JSON.stringify({ name: audit.id, audit: audit.name, status: r.status, reason: r.reason }));
}
console.log(JSON.stringify({ name: 'summary', failed, ran }));
process.exit(failed ? 1 : 0);
